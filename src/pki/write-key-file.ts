import type { KeyObject } from 'node:crypto';
import { writeSecretFile } from '../secret-file.ts';
import { encryptedKeyPem } from './_key-file.ts';

/**
 * Writes a private key as ENCRYPTED PKCS#8 PEM (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC) to
 * `path` with mode 0600. Throws a TypeError for an empty password.
 */
export async function writeEncryptedKeyFile(path: string, key: KeyObject, password: string): Promise<void> {
  await writeSecretFile(path, encryptedKeyPem(key, password));
}
