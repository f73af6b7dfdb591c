import type { KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A private key as ENCRYPTED PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC). */
export function encryptedKeyPem(key: KeyObject, password: string): string {
  if (password.length === 0)
    throw new TypeError('encryptedKeyPem: an empty password would leave the key unprotected');
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }).toString();
}

/** Writes a public file (certificate, CSR), 0644. */
export async function writePublicFile(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data, { mode: 0o644 });
}
