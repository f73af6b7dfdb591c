import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { sshFingerprint } from '../sftp/host-key.ts';

/*
 * SSH keys of a sandbox state directory, `<stateDir>/ssh/`:
 *   host_ed25519{,.pub}      the SFTP server's host key (kept, so a pinned fingerprint stays valid)
 *   partner_ed25519{,.pub}   the partner's login key, unencrypted (a development key), mode 0600
 */

/** One ed25519 key pair kept in the state directory. */
export interface SandboxSshKey {
  /** The OpenSSH private key file (mode 0600). */
  readonly privateKeyFile: string;
  /** The public key as an OpenSSH line (`ssh-ed25519 AAAA… comment`), also in `<file>.pub`. */
  readonly publicKey: string;
  /** The SSH wire blob of the public key. */
  readonly blob: Buffer;
  /** `SHA256:<base64, no padding>`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** The private key text (OpenSSH format): for the server's `hostKeys` only, never logged. */
  readonly privateKey: string;
}

/**
 * A new ed25519 private key in OpenSSH format. ssh2 1.17's generator drops a leading zero byte of
 * the public key (about 1 key in 500 then does not parse, for ssh2 as for `ssh-keygen`), so a key
 * is kept only once it parses back as an ed25519 private key.
 */
export function generateEd25519(comment: string): string {
  for (let attempt = 0; attempt < 32; attempt++) {
    const { private: key } = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const parsed = ssh2.utils.parseKey(key);
    if (!(parsed instanceof Error) && !Array.isArray(parsed) && parsed.isPrivateKey()) return key;
  }
  throw new Error('ssh2 generated no readable ed25519 key in 32 attempts');
}

function stateError(message: string, dir: string, cause: unknown): PasserelleError {
  const code = isPasserelleError(cause) ? ` (${cause.code})` : '';
  return new PasserelleError('ERR_SANDBOX_STATE', `${message}${code}`, {
    hint: `The sandbox SSH keys are damaged: delete ${dir} (new keys are made on the next start; re-pin the host key) or give another --state-dir.`,
    details: { dir },
    cause,
  });
}

/**
 * Creates the ed25519 key pair `<dir>/<name>` once (OpenSSH format, private file 0600) and
 * reloads it afterwards. A file that does not parse gives ERR_SANDBOX_STATE.
 */
export function ensureSshKey({
  dir,
  name,
  comment,
  log,
}: {
  dir: string;
  name: string;
  comment: string;
  log: Logger;
}): SandboxSshKey {
  const privateKeyFile = join(dir, name);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(privateKeyFile)) {
      writeFileSync(privateKeyFile, generateEd25519(comment), { mode: 0o600, flag: 'wx' });
      log.info({ file: privateKeyFile }, 'SSH key created');
    }
    chmodSync(privateKeyFile, 0o600);
  } catch (cause) {
    throw stateError(`Cannot create the SSH key ${privateKeyFile}`, dir, cause);
  }
  const privateKey = readFileSync(privateKeyFile, 'utf8');
  const parsed = ssh2.utils.parseKey(privateKey);
  if (
    parsed instanceof Error ||
    Array.isArray(parsed) ||
    parsed.type !== 'ssh-ed25519' ||
    !parsed.isPrivateKey()
  )
    throw stateError(
      `The SSH key ${privateKeyFile} cannot be read`,
      dir,
      parsed instanceof Error ? parsed : undefined,
    );
  const blob = parsed.getPublicSSH();
  const publicKey = `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
  try {
    writeFileSync(`${privateKeyFile}.pub`, `${publicKey}\n`, { mode: 0o644 });
  } catch (cause) {
    throw stateError(`Cannot write ${privateKeyFile}.pub`, dir, cause);
  }
  return Object.freeze({ privateKeyFile, publicKey, blob, fingerprint: sshFingerprint(blob), privateKey });
}
