import { randomBytes, X509Certificate } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { readSecret } from '../config/secret.ts';
import { writeSecretFile } from '../secret-file.ts';
import { encryptedKeyPem, writePublicFile } from './_key-file.ts';
import { type Credential, credentialFrom } from './credential.ts';
import { issueCertificate } from './issue.ts';
import { generateKeyPair, type KeyType } from './keys.ts';
import { loadCredential } from './load-credential.ts';
import { rdnsToString } from './profiles.ts';
import { readCredentialFile } from './read-credential-file.ts';

const DAY = 86_400_000;

/** A development certificate authority living in a directory. For local use only. */
export interface DevCa {
  readonly dir: string;
  /** The CA key and self-signed certificate. */
  readonly credential: Credential;
  /** DIR/ca.crt: the trust anchor to give to clients and servers. */
  readonly certFile: string;
  /** DIR/ca.key: encrypted PKCS#8 with the password of DIR/password. */
  readonly keyFile: string;
  /** DIR/password (0600): protects ca.key and every key/.p12 the dev PKI writes. */
  readonly passwordFile: string;
  /** The development password itself (it is in DIR/password anyway); never log it. */
  readonly password: string;
}

export interface CreateDevCaOptions {
  readonly dir: string;
  readonly clock: Clock;
  /** Default "Passerelle Development CA". */
  readonly cn?: string;
  /** Default ec-p256. */
  readonly keyType?: KeyType;
  /** Default 3650. */
  readonly validityDays?: number;
}

/**
 * Creates a development CA in `dir`: ca.crt (PEM), ca.key (encrypted PKCS#8, 0600) and a random
 * password file `password` (0600) which also protects what issueDevCertificate's callers write.
 * Validity starts one day before `clock.now()` to tolerate clock skew.
 */
export async function createDevCa(options: CreateDevCaOptions): Promise<DevCa> {
  const { dir, clock, cn = 'Passerelle Development CA', keyType = 'ec-p256', validityDays = 3650 } = options;
  const now = clock.now();
  const kp = await generateKeyPair(keyType);
  const pem = await issueCertificate({
    subject: rdnsToString([
      ['C', 'BE'],
      ['O', 'Passerelle Development'],
      ['CN', cn],
    ]),
    publicKey: kp.publicKey,
    selfKey: kp.privateKey,
    usage: 'ca',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + validityDays * DAY),
  });
  const credential = credentialFrom(kp.privateKey, [new X509Certificate(pem)]);
  const password = randomBytes(18).toString('base64url');
  const paths = devCaPaths(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeSecretFile(paths.passwordFile, `${password}\n`);
  await writeSecretFile(paths.keyFile, encryptedKeyPem(kp.privateKey, password));
  await writePublicFile(paths.certFile, pem);
  return { dir, credential, password, ...paths };
}

/**
 * Loads the CA that createDevCa wrote in `dir` (ca.crt, ca.key, password). Throws
 * ERR_PKI_FILE_UNREADABLE when it is not there, or the loadCredential errors.
 */
export async function loadDevCa(dir: string): Promise<DevCa> {
  const paths = devCaPaths(dir);
  await readCredentialFile(paths.certFile, 'development CA certificate');
  const password = await readSecret({ file: paths.passwordFile }, { baseDir: dir });
  const credential = await loadCredential(
    { cert: paths.certFile, key: paths.keyFile, password: { file: paths.passwordFile } },
    { baseDir: dir },
  );
  return { dir, credential, password, ...paths };
}

/** True when `dir` already holds a development CA. */
export async function hasDevCa(dir: string): Promise<boolean> {
  const { certFile, keyFile } = devCaPaths(dir);
  try {
    await Promise.all([access(certFile), access(keyFile)]);
    return true;
  } catch {
    return false;
  }
}

function devCaPaths(dir: string) {
  return { certFile: join(dir, 'ca.crt'), keyFile: join(dir, 'ca.key'), passwordFile: join(dir, 'password') };
}

// The dev-PKI helpers live in their own files; re-exported here so the dev PKI is one import.
export { type IssueDevCertificateOptions, issueDevCertificate } from './dev-issue.ts';
export {
  type CredentialFiles,
  type WriteCredentialFilesOptions,
  writeCredentialFiles,
} from './write-credential-files.ts';
