import type { Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { _Refusal } from './_refusal.ts';

/** The two folders of an account: the partner writes into IN/, the sandbox writes replies to OUT/. */
export type _Area = 'IN' | 'OUT';
export const _AREAS: readonly _Area[] = ['IN', 'OUT'];

/** A client path resolved against an account's root. */
export interface _Resolved {
  /** The normalised path the client sees (`/`, `/IN`, `/OUT/FO.…`). */
  readonly virtual: string;
  /** The folder, or undefined for the root itself. */
  readonly area: _Area | undefined;
  /** The file name inside the folder, or undefined for `/`, `/IN`, `/OUT`. */
  readonly name: string | undefined;
  /** The path on disk, below the account's (real) root. */
  readonly real: string;
}

const MAX_NAME = 255;

/**
 * Resolves `path` as the client sent it against the root `/` of the account whose real root
 * is `root`: relative paths are taken from `/`, `.` and empty segments dropped, `..` applied.
 * Refused (PERMISSION_DENIED, logged with the reason): a NUL byte, a path longer than `maxLength`
 * or with a name over 255 bytes, a `..` above the root (`path-escape`), and anything but `/`, the
 * two folders and a file directly inside one (`outside-area`, e.g. `/etc/passwd`). Pure: nothing
 * is read on disk here; see _checkOnDisk.
 */
export function _resolvePath(root: string, path: string, maxLength: number): _Resolved {
  if (path.includes('\0')) throw new _Refusal('nul-byte', 'PERMISSION_DENIED', 'bad path');
  if (Buffer.byteLength(path) > maxLength)
    throw new _Refusal('path-too-long', 'PERMISSION_DENIED', 'path too long');
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (segments.pop() === undefined)
        throw new _Refusal('path-escape', 'PERMISSION_DENIED', 'outside the root');
      continue;
    }
    if (Buffer.byteLength(s) > MAX_NAME)
      throw new _Refusal('path-too-long', 'PERMISSION_DENIED', 'name too long');
    segments.push(s);
  }
  const virtual = `/${segments.join('/')}`;
  if (segments.length === 0) return { virtual, area: undefined, name: undefined, real: root };
  const [area, name, ...rest] = segments;
  if ((area !== 'IN' && area !== 'OUT') || rest.length > 0 || name === '.' || name === '..')
    throw new _Refusal('outside-area', 'PERMISSION_DENIED', 'only IN/ and OUT/ exist');
  return { virtual, area, name, real: name === undefined ? join(root, area) : join(root, area, name) };
}

const inside = (root: string, real: string) => real === root || real.startsWith(root + sep);

/**
 * Checks a resolved path on disk: no symlink (`symlink`), no FIFO, socket or device
 * (`special-file`), and the real path (after `realpath`) still inside the root
 * (`outside-root`). Returns the path's lstat, or undefined when it does not exist, in which
 * case its folder is checked instead. Refusals are PERMISSION_DENIED.
 */
export async function _checkOnDisk(root: string, r: _Resolved): Promise<Stats | undefined> {
  let st: Stats | undefined;
  try {
    st = await lstat(r.real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (st === undefined) {
    if (r.name === undefined) throw new _Refusal('missing-folder', 'NO_SUCH_FILE', 'no such folder');
    await _checkOnDisk(root, { ...r, name: undefined, real: join(root, r.area ?? '') });
    return undefined;
  }
  if (st.isSymbolicLink()) throw new _Refusal('symlink', 'PERMISSION_DENIED', 'symbolic links are refused');
  if (!st.isFile() && !st.isDirectory())
    throw new _Refusal('special-file', 'PERMISSION_DENIED', 'not a regular file');
  if (st.isDirectory() !== (r.name === undefined))
    throw new _Refusal(
      'wrong-type',
      r.name === undefined ? 'FAILURE' : 'PERMISSION_DENIED',
      'unexpected file type',
    );
  if (!inside(root, await realpath(r.real)))
    throw new _Refusal('outside-root', 'PERMISSION_DENIED', 'outside the root');
  return st;
}
