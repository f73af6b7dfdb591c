import type { Stats } from 'node:fs';
import type { Attributes } from 'ssh2';

/** SFTP attributes of a file (size, owner, mode, times in seconds). */
export function _attrs(st: Stats): Attributes {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR_MS = 182 * 24 * 3600 * 1000;

function _typeChar(st: Stats): string {
  if (st.isDirectory()) return 'd';
  if (st.isSymbolicLink()) return 'l';
  if (st.isFIFO()) return 'p';
  if (st.isSocket()) return 's';
  if (st.isCharacterDevice()) return 'c';
  if (st.isBlockDevice()) return 'b';
  return '-';
}

function _perms(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i += 1) out += mode & (0o400 >> i) ? bits[i] : '-';
  return out;
}

/**
 * The `ls -l` line OpenSSH's sftp client prints for READDIR (as sftp-server's ls_file builds it:
 * mode, links, owner, group, size, date in UTC: `Mon dd HH:MM` within half a year of `now`, else
 * `Mon dd  YYYY`). The owner and group are the account name: the sandbox has no user database.
 */
export function _longname(name: string, st: Stats, owner: string, now: number): string {
  const d = new Date(st.mtimeMs);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = Math.abs(now - st.mtimeMs) < HALF_YEAR_MS;
  const when = recent
    ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    : ` ${d.getUTCFullYear()}`;
  const who = owner.slice(0, 8).padEnd(8, ' ');
  return `${_typeChar(st)}${_perms(st.mode)} ${String(st.nlink).padStart(3, ' ')} ${who} ${who} ${String(st.size).padStart(8, ' ')} ${MONTHS[d.getUTCMonth()]} ${day} ${when} ${name}`;
}
