import { resolvePath } from '../config/paths.ts';
import type { CredentialRef } from '../config/schema.ts';
import { readSecret } from '../config/secret.ts';
import { assembleCredential } from './_assemble.ts';
import { parsePkcs12 } from './_p12-parse.ts';
import { privateKeyFromPem } from './_pem-key.ts';
import type { Credential } from './credential.ts';
import { parseCertificates } from './pem.ts';
import { readCredentialFile } from './read-credential-file.ts';

export interface LoadCredentialOptions {
  /** Relative paths (keystores and password files) are resolved from here; default: cwd. */
  readonly baseDir?: string;
  /** Where `password: { env }` is looked up; default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where the reference came from, for the hints of file errors: a configuration key
   * (`environments.acpt.credentials.signing`, to which `.p12`, `.cert`, `.key` or `.password` is
   * appended) or a function naming the flag of each field (`--p12`, `--password-file`).
   */
  readonly setting?: string | ((field: CredentialField) => string);
}

/** The fields of a credential reference that name a file or a secret. */
export type CredentialField = 'p12' | 'cert' | 'key' | 'password';

/**
 * Loads a private key and its certificate chain as configured:
 * - `{ p12, password? }`: a PKCS#12 keystore, modern (OpenSSL 3 default: PBES2/AES-256-CBC with
 *   an HMAC-SHA256 MAC) or legacy (`-legacy`: RC2-40 / 3DES with a SHA-1 MAC);
 * - `{ cert, key, password? }`: a PEM certificate (plus chain) and a PEM private key, plain
 *   PKCS#8, traditional RSA/EC, or encrypted (PKCS#8 PBES2 or traditional).
 * The password comes from an environment variable or a file (never from argv).
 *
 * Throws ERR_PKI_FILE_UNREADABLE, ERR_PKI_KEYSTORE_CORRUPT, ERR_PKI_BAD_PASSWORD,
 * ERR_PKI_KEY_MISMATCH, ERR_PKI_NO_KEY, ERR_PKI_NO_CERT, ERR_PKI_UNSUPPORTED_FORMAT or
 * ERR_CONFIG_SECRET_MISSING. No error ever carries the password or key material.
 */
export async function loadCredential(
  ref: CredentialRef,
  options: LoadCredentialOptions = {},
): Promise<Credential> {
  const { baseDir = process.cwd(), env = process.env, setting } = options;
  const settingOf = (field: CredentialField): string | undefined =>
    setting === undefined ? undefined : typeof setting === 'string' ? `${setting}.${field}` : setting(field);
  const passwordSetting = settingOf('password');
  const password = ref.password
    ? await readSecret(ref.password, {
        baseDir,
        env,
        ...(passwordSetting === undefined ? {} : { setting: passwordSetting }),
      })
    : undefined;
  if ('p12' in ref) {
    const path = resolvePath(baseDir, ref.p12);
    const der = await readCredentialFile(path, 'PKCS#12 keystore', settingOf('p12'));
    const parsed = parsePkcs12(der, password ?? '', path);
    const keys = parsed.bags.flatMap((b) =>
      b.key ? [{ key: b.key, ...(b.localKeyId ? { localKeyId: b.localKeyId } : {}) }] : [],
    );
    const certs = parsed.bags.flatMap((b) =>
      b.certificate
        ? [{ certificate: b.certificate, ...(b.localKeyId ? { localKeyId: b.localKeyId } : {}) }]
        : [],
    );
    return assembleCredential(keys, certs, path);
  }
  const certPath = resolvePath(baseDir, ref.cert);
  const keyPath = resolvePath(baseDir, ref.key);
  const [certText, keyText] = await Promise.all([
    readCredentialFile(certPath, 'certificate file', settingOf('cert')).then((b) => b.toString('utf8')),
    readCredentialFile(keyPath, 'private key file', settingOf('key')).then((b) => b.toString('utf8')),
  ]);
  const certs = parseCertificates(certText, certPath);
  const key = privateKeyFromPem(keyText, password, keyPath);
  return assembleCredential(
    [{ key }],
    certs.map((certificate) => ({ certificate })),
    `${certPath} + ${keyPath}`,
  );
}
