import { hostname } from 'node:os';

/** The owner a claim records by default: `<host>:<pid>`. */
export function _localOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Whether `owner` names a process of this host (`<host>:<pid>`, another pid than ours) that no
 * longer exists: its claims cannot end, so their leases need not be waited for. Anything else —
 * another host, our own pid, a process alive (or not ours to signal: EPERM), an owner of another
 * form — is not known dead.
 */
export function _isDeadLocalOwner(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  if (at <= 0 || owner.slice(0, at) !== hostname()) return false;
  const text = owner.slice(at + 1);
  if (!/^[1-9]\d{0,9}$/.test(text)) return false;
  const pid = Number(text);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
