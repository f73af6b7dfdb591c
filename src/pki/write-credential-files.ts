import { join } from 'node:path';
import { writeSecretFile } from '../secret-file.ts';
import { encryptedKeyPem, writePublicFile } from './_key-file.ts';
import type { Credential } from './credential.ts';
import { encodePkcs12 } from './encode-pkcs12.ts';

export interface WriteCredentialFilesOptions {
  /** Protects name.key and name.p12. */
  readonly password: string;
  /** Alias of the .p12 key entry; default `name`. */
  readonly friendlyName?: string;
}

export interface CredentialFiles {
  /** name.crt: leaf then chain, PEM. */
  readonly certPath: string;
  /** name.key: ENCRYPTED PKCS#8 PEM (AES-256), 0600. */
  readonly keyPath: string;
  /** name.p12: modern PKCS#12 (PBES2/AES-256-CBC, HMAC-SHA256), 0600. */
  readonly p12Path: string;
}

/**
 * Writes a credential as DIR/name.crt, DIR/name.key and DIR/name.p12, all readable by
 * loadCredential ({cert, key, password} or {p12, password}) and by OpenSSL 3.
 */
export async function writeCredentialFiles(
  dir: string,
  name: string,
  credential: Credential,
  options: WriteCredentialFilesOptions,
): Promise<CredentialFiles> {
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new TypeError(`writeCredentialFiles: invalid file name "${name}"`);
  const { password, friendlyName = name } = options;
  const files = {
    certPath: join(dir, `${name}.crt`),
    keyPath: join(dir, `${name}.key`),
    p12Path: join(dir, `${name}.p12`),
  };
  await writePublicFile(files.certPath, credential.certPem);
  await writeSecretFile(files.keyPath, encryptedKeyPem(credential.privateKey, password));
  await writeSecretFile(files.p12Path, encodePkcs12(credential, password, { friendlyName }));
  return files;
}
