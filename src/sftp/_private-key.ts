import { readFile, stat } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';

/** The private key of a login: its bytes (kept in memory only) and what it is. */
export interface _LoginKey {
  readonly data: Buffer;
  readonly passphrase?: string;
  readonly type: string;
}

const unreadable = (source: string, reason: string, cause?: unknown) =>
  new PasserelleError('ERR_SFTP_KEY_UNREADABLE', `The SSH private key ${source} cannot be read: ${reason}`, {
    details: { source, reason },
    cause,
  });

/** Reads a key file, warning (not failing) when group or others have any permission on it. */
export async function _readKeyFile(path: string, logger: Logger): Promise<Buffer> {
  try {
    const st = await stat(path);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
      logger.warn(
        { path, mode: (st.mode & 0o777).toString(8) },
        'SSH private key file is accessible to group or others: chmod 600 it',
      );
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown';
    throw unreadable(path, `the file cannot be read (${code})`, undefined);
  }
}

/**
 * Parses an OpenSSH or PEM private key (ed25519, RSA, ECDSA), decrypting it with the passphrase.
 * Throws ERR_SFTP_KEY_UNREADABLE with a reason of our own (ssh2's messages are not passed on, and
 * nothing of the key is ever put in the error).
 */
export function _parseLoginKey(data: Buffer, passphrase: string | undefined, source: string): _LoginKey {
  let parsed: ReturnType<typeof ssh2.utils.parseKey>;
  try {
    parsed = ssh2.utils.parseKey(data, passphrase);
  } catch {
    throw unreadable(source, 'not a private key');
  }
  if (parsed instanceof Error) {
    const m = parsed.message;
    const reason = /no passphrase/i.test(m)
      ? 'it is encrypted and no passphrase was given'
      : /decrypt|passphrase|bad/i.test(m)
        ? 'wrong passphrase, or a damaged key'
        : 'not an OpenSSH or PEM private key of a supported type';
    throw unreadable(source, reason);
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) throw unreadable(source, 'it holds no private key');
  if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521))$/.test(key.type))
    throw unreadable(source, `unsupported key type ${key.type}`);
  return { data, type: key.type, ...(passphrase === undefined ? {} : { passphrase }) };
}
