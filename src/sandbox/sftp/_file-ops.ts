import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { _attrs } from './_attrs.ts';
import { _checkOnDisk } from './_paths.ts';
import { _Refusal, _status } from './_refusal.ts';
import type { _Op } from './_session.ts';

const { OPEN_MODE } = ssh2.utils.sftp;
/** Longest READ answered (a client asking for more gets a short read, as SFTP allows). */
const MAX_READ = 32 * 1024;

const writeMode = (flags: number) =>
  (flags & (OPEN_MODE.WRITE | OPEN_MODE.CREAT | OPEN_MODE.TRUNC | OPEN_MODE.APPEND)) !== 0;

function nodeFlags(flags: number, write: boolean): number {
  let f = constants.O_NOFOLLOW | constants.O_NONBLOCK;
  if (!write) return f | constants.O_RDONLY;
  f |= flags & OPEN_MODE.READ ? constants.O_RDWR : constants.O_WRONLY;
  if (flags & OPEN_MODE.CREAT) f |= constants.O_CREAT;
  if (flags & OPEN_MODE.TRUNC) f |= constants.O_TRUNC;
  if (flags & OPEN_MODE.EXCL) f |= constants.O_EXCL;
  if (flags & OPEN_MODE.APPEND) f |= constants.O_APPEND;
  return f;
}

/** An error of open(2) on a checked path: a race with a planted link or special file, or a plain miss. */
function openError(error: NodeJS.ErrnoException): Error {
  switch (error.code) {
    case 'ELOOP':
      return new _Refusal('symlink', 'PERMISSION_DENIED', 'symbolic links are refused');
    case 'ENXIO':
      return new _Refusal('special-file', 'PERMISSION_DENIED', 'not a regular file');
    case 'ENOENT':
      return new _Refusal('not-found', 'NO_SUCH_FILE', 'no such file');
    case 'EEXIST':
      return new _Refusal('exists', 'FAILURE', 'file exists');
    default:
      return error;
  }
}

/**
 * OPEN: a file directly inside IN/ or OUT/; writing (any of WRITE, CREAT, TRUNC, APPEND) only
 * inside IN/. Opened with O_NOFOLLOW and O_NONBLOCK (a FIFO never blocks), then fstat'ed: what is
 * not a regular file is closed and refused.
 */
export const _open: _Op<[string, number]> = async (s, id, path, flags) => {
  const r = s.resolve(path);
  if (r.name === undefined) throw new _Refusal('wrong-type', 'FAILURE', 'is a folder');
  const write = writeMode(flags);
  if (write && r.area !== 'IN')
    throw new _Refusal('write-outside-in', 'PERMISSION_DENIED', 'write only in IN/');
  s.handles.reserve();
  const before = await _checkOnDisk(s.account.root, r);
  if (before === undefined && !write) throw new _Refusal('not-found', 'NO_SUCH_FILE', 'no such file');
  const fh = await open(r.real, nodeFlags(flags, write), 0o644).catch((e: NodeJS.ErrnoException) => {
    throw openError(e);
  });
  let st: Stats;
  let handle: Buffer;
  try {
    st = await fh.stat();
    if (!st.isFile()) throw new _Refusal('special-file', 'PERMISSION_DENIED', 'not a regular file');
    handle = s.handles.add({ kind: 'file', fh, path: r, write });
  } catch (error) {
    await fh.close();
    throw error;
  }
  if (write) {
    s.account.startWriting(s.handles.get(handle), r.real, st.size);
    await s.account.refresh();
  }
  s.sftp.handle(id, handle);
};

const fileHandle = (s: Parameters<_Op<[]>>[0], buf: Buffer) => {
  const h = s.handles.get(buf);
  if (h.kind !== 'file') throw new _Refusal('bad-handle', 'FAILURE', 'not a file handle');
  return h;
};

/** READ: at most 32 KiB from `offset`; EOF past the end. */
export const _read: _Op<[Buffer, number, number]> = async (s, id, buf, offset, length) => {
  const h = fileHandle(s, buf);
  const data = Buffer.alloc(Math.min(Math.max(length, 0), MAX_READ));
  const { bytesRead } = await h.fh.read(data, 0, data.length, offset);
  if (bytesRead === 0) {
    s.sftp.status(id, _status('EOF'));
    return;
  }
  s.stats.bump('bytesOut', bytesRead);
  s.sftp.data(id, data.subarray(0, bytesRead));
};

/** WRITE: on a write handle only, refused with FAILURE `quota exceeded` past the account's quota. */
export const _write: _Op<[Buffer, number, Buffer]> = async (s, id, buf, offset, data) => {
  const h = fileHandle(s, buf);
  if (!h.write) throw new _Refusal('read-only-area', 'PERMISSION_DENIED', 'handle not open for writing');
  const end = offset + data.length;
  if (s.account.usageWith(h, end) > s.limits.quotaBytes)
    throw new _Refusal('quota', 'FAILURE', 'quota exceeded');
  s.account.wrote(h, end);
  await h.fh.write(data, 0, data.length, offset);
  s.stats.bump('bytesIn', data.length);
  s.sftp.status(id, _status('OK'));
};

/** FSTAT: the open file's attributes. */
export const _fstat: _Op<[Buffer]> = async (s, id, buf) => {
  const h = s.handles.get(buf);
  s.sftp.attrs(id, _attrs(h.kind === 'file' ? await h.fh.stat() : await lstat(h.path.real)));
};

/** FSETSTAT: accepted on a valid handle, without effect (modes and times are the sandbox's). */
export const _fsetstat: _Op<[Buffer]> = async (s, id, buf) => {
  s.handles.get(buf);
  s.sftp.status(id, _status('OK'));
};

/**
 * CLOSE: closes the file or folder. A written file counts as an upload, and the submission
 * processor is told of its name (a GO or TD triggers it).
 */
export const _close: _Op<[Buffer]> = async (s, id, buf) => {
  const h = s.handles.take(buf);
  if (h.kind === 'dir') {
    await h.dir.close().catch(() => undefined);
    s.sftp.status(id, _status('OK'));
    return;
  }
  await h.fh.close();
  if (h.write) {
    await s.account.stopWriting(h);
    s.stats.bump('uploads');
    s.log.info({ account: s.account.user, path: h.path.virtual }, 'file uploaded');
    s.onWritten(h.path.name ?? '');
  }
  s.sftp.status(id, _status('OK'));
};
