import { lstat, opendir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attributes, FileEntry } from 'ssh2';
import { _attrs, _longname } from './_attrs.ts';
import { _checkOnDisk, type _Resolved } from './_paths.ts';
import { _Refusal, _status } from './_refusal.ts';
import type { _Op, _Session } from './_session.ts';

/** Entries answered per READDIR: a large folder is listed in pages, never read whole. */
const PAGE = 64;

const existing = async (s: _Session, path: string) => {
  const r = s.resolve(path);
  const st = await _checkOnDisk(s.account.root, r);
  if (st === undefined) throw new _Refusal('not-found', 'NO_SUCH_FILE', 'no such file');
  return { r, st };
};

/** STAT and LSTAT (the same: a symbolic link is refused, never followed). */
export const _stat: _Op<[string]> = async (s, id, path) => {
  s.sftp.attrs(id, _attrs((await existing(s, path)).st));
};

/** REALPATH: the normalised path below the account's `/` (`.` is `/`); nothing is read on disk. */
export const _realpath: _Op<[string]> = async (s, id, path) => {
  const r = s.resolve(path);
  s.sftp.name(id, [{ filename: r.virtual, longname: r.virtual, attrs: {} as Attributes }]);
};

/** OPENDIR: `/`, `/IN` or `/OUT`. */
export const _opendir: _Op<[string]> = async (s, id, path) => {
  const { r, st } = await existing(s, path);
  if (!st.isDirectory()) throw new _Refusal('wrong-type', 'FAILURE', 'not a folder');
  s.handles.reserve();
  const dir = await opendir(r.real, { bufferSize: PAGE });
  s.sftp.handle(id, s.handles.add({ kind: 'dir', dir, path: r, done: false }));
};

/** READDIR: the next page of at most 64 entries with `ls -l` longnames, then EOF. */
export const _readdir: _Op<[Buffer]> = async (s, id, buf) => {
  const h = s.handles.get(buf);
  if (h.kind !== 'dir') throw new _Refusal('bad-handle', 'FAILURE', 'not a folder handle');
  const names: FileEntry[] = [];
  while (!h.done && names.length < PAGE) {
    const entry = await h.dir.read();
    if (entry === null) {
      h.done = true;
      break;
    }
    const st = await lstat(join(h.path.real, entry.name)).catch(() => undefined);
    if (st === undefined) continue;
    names.push({
      filename: entry.name,
      longname: _longname(entry.name, st, s.account.user, s.clock.now()),
      attrs: _attrs(st),
    });
  }
  if (names.length === 0) s.sftp.status(id, _status('EOF'));
  else s.sftp.name(id, names);
};

const fileIn = (r: _Resolved, areas: readonly string[], reason: 'write-outside-in' | 'read-only-area') => {
  if (r.name === undefined) throw new _Refusal('wrong-type', 'PERMISSION_DENIED', 'is a folder');
  if (!areas.includes(r.area ?? '')) throw new _Refusal(reason, 'PERMISSION_DENIED', 'not allowed here');
};

/** REMOVE: a regular file of IN/ or OUT/ (the partner removes the replies it fetched). */
export const _remove: _Op<[string]> = async (s, id, path) => {
  const { r } = await existing(s, path);
  fileIn(r, ['IN', 'OUT'], 'read-only-area');
  await unlink(r.real);
  if (r.area === 'IN') await s.account.refresh();
  s.sftp.status(id, _status('OK'));
};

/**
 * RENAME: inside IN/ only (an upload under a temporary name, then its real name), never over an
 * existing file (SFTP v3) nor of a file still being written. The processor is told of the new name.
 */
export const _rename: _Op<[string, string]> = async (s, id, from, to) => {
  const source = await existing(s, from);
  fileIn(source.r, ['IN'], 'write-outside-in');
  const target = s.resolve(to);
  fileIn(target, ['IN'], 'write-outside-in');
  if ((await _checkOnDisk(s.account.root, target)) !== undefined)
    throw new _Refusal('exists', 'FAILURE', 'target exists');
  if (s.account.isBeingWritten(source.r.real))
    throw new _Refusal('busy', 'FAILURE', 'file is open for writing');
  await rename(source.r.real, target.real);
  await s.account.refresh();
  s.sftp.status(id, _status('OK'));
  s.onWritten(target.name ?? '');
};

/** SETSTAT: accepted without effect on an IN/ file; OUT/ is read-only. */
export const _setstat: _Op<[string]> = async (s, id, path) => {
  const { r } = await existing(s, path);
  fileIn(r, ['IN'], 'read-only-area');
  s.sftp.status(id, _status('OK'));
};

/** MKDIR and RMDIR: the account's folders are fixed. */
export const _noFolders: _Op<[string]> = async (s, _id, path) => {
  s.resolve(path);
  throw new _Refusal('unsupported', 'PERMISSION_DENIED', 'folders cannot be made or removed');
};

/** SYMLINK and READLINK: no symbolic links on this server. */
export const _noLinks: _Op<string[]> = async () => {
  throw new _Refusal('symlink', 'PERMISSION_DENIED', 'symbolic links are refused');
};
