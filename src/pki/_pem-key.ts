import { createPrivateKey, type KeyObject } from 'node:crypto';
import { PasserelleError } from '../errors.ts';

const KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/**
 * Parses the first private key of a PEM text: PKCS#8 ("PRIVATE KEY"), traditional RSA/EC, and
 * encrypted forms (PKCS#8 "ENCRYPTED PRIVATE KEY", or "Proc-Type: 4,ENCRYPTED"), decrypted by
 * node:crypto with `password`. Throws ERR_PKI_NO_KEY, ERR_PKI_BAD_PASSWORD or
 * ERR_PKI_KEYSTORE_CORRUPT; the message names the source only.
 */
export function privateKeyFromPem(text: string, password: string | undefined, source: string): KeyObject {
  const m = KEY_BLOCK.exec(text);
  if (!m) {
    throw new PasserelleError('ERR_PKI_NO_KEY', `No PEM private key found in ${source}`, {
      hint: 'Give a PEM file with a -----BEGIN PRIVATE KEY----- (or ENCRYPTED PRIVATE KEY, RSA/EC PRIVATE KEY) block.',
      details: { source },
    });
  }
  const encrypted = m[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(m[0]);
  if (encrypted && (password === undefined || password === '')) {
    throw new PasserelleError(
      'ERR_PKI_BAD_PASSWORD',
      `The private key in ${source} is encrypted and no password was configured`,
      {
        hint: 'Name the password in the configuration (password: { env: NAME } or { file: PATH }), or --password-env / --password-file.',
        details: { source },
      },
    );
  }
  try {
    return createPrivateKey({ key: m[0], format: 'pem', ...(encrypted ? { passphrase: password } : {}) });
  } catch (cause) {
    if (encrypted) {
      throw new PasserelleError(
        'ERR_PKI_BAD_PASSWORD',
        `Cannot decrypt the private key in ${source}: wrong password (or the file is damaged)`,
        {
          hint: 'Check the password file or environment variable named in the configuration.',
          details: { source },
          cause,
        },
      );
    }
    throw new PasserelleError(
      'ERR_PKI_KEYSTORE_CORRUPT',
      `The private key in ${source} cannot be parsed (corrupt or truncated)`,
      {
        hint: 'Re-export the key: openssl pkcs8 -topk8 -in old.key -out new.key',
        details: { source },
        cause,
      },
    );
  }
}
