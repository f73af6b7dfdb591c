import { timingSafeEqual } from 'node:crypto';
import type { AuthContext } from 'ssh2';
import type { Logger } from '../../log.ts';
import { sshFingerprint } from '../../sftp/host-key.ts';
import type { _Account } from './_account.ts';
import type { _SftpStats } from './_stats.ts';

const sameBlob = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const shown = (user: string) => user.replace(/[^\x21-\x7e]/g, '?').slice(0, 64);

/**
 * Answers one authentication request: public keys only. A key is authorised when its blob
 * equals (constant time) one of the account's keys; with a signature, the signature must verify
 * with that key. A key query without signature is answered "this key would do". Passwords,
 * keyboard-interactive and host-based logins are refused and logged (`auth-method`), as is an
 * unknown key (`auth-key`, with its SHA-256 fingerprint, never the key) or a bad signature.
 * `onLogin` gets the account before the login is accepted (ssh2 emits `ready` inside accept).
 */
export function _authenticate(
  ctx: AuthContext,
  accounts: ReadonlyMap<string, _Account>,
  log: Logger,
  stats: _SftpStats,
  onLogin: (account: _Account) => void,
): void {
  const refuse = (reason: string, fields: Record<string, unknown> = {}) => {
    stats.bump('auth.refused');
    stats.bump(`auth.refused.${reason}`);
    log.warn({ account: shown(ctx.username), method: ctx.method, reason, ...fields }, 'SFTP login refused');
    ctx.reject(['publickey']);
  };
  if (ctx.method === 'none') {
    ctx.reject(['publickey']);
    return;
  }
  if (ctx.method !== 'publickey') {
    refuse('auth-method');
    return;
  }
  const account = accounts.get(ctx.username);
  const key = account?.spec.keys.find((k) => sameBlob(k.getPublicSSH(), ctx.key.data));
  const fingerprint = sshFingerprint(ctx.key.data);
  if (account === undefined || key === undefined) {
    refuse('auth-key', { fingerprint });
    return;
  }
  if (ctx.signature === undefined || ctx.blob === undefined) {
    ctx.accept();
    return;
  }
  if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
    refuse('auth-signature', { fingerprint });
    return;
  }
  log.info({ account: account.user, fingerprint }, 'SFTP login');
  onLogin(account);
  ctx.accept();
}
