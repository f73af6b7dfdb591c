import { createHash } from 'node:crypto';
import type { Client, FileEntry, SFTPWrapper, Stats } from 'ssh2';
import type { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { _download } from './_download.ts';
import { _lostError, _NO_SUCH_FILE, _sftpStatus } from './_errors.ts';
import { _readRange } from './_read-range.ts';
import { type _Channel, _call } from './_request.ts';
import { _uploadToHandle } from './_upload.ts';
import { _writeSmall } from './_write-small.ts';
import type { DownloadOptions, DownloadResult, RemoteEntry, SftpSession, UploadOptions } from './session.ts';

export interface _SftpSessionInit {
  readonly client: Client;
  readonly sftp: SFTPWrapper;
  readonly timeoutMs: number;
  readonly chunkSize: number;
  readonly inFlight: number;
  readonly hostKeyFingerprint: string;
  readonly where: string;
  readonly logger: Logger;
}

const typeOf = (mode: number): RemoteEntry['type'] => {
  const fmt = mode & 0o170000;
  return fmt === 0o100000 ? 'file' : fmt === 0o040000 ? 'directory' : fmt === 0o120000 ? 'symlink' : 'other';
};
const entry = (name: string, attrs: Stats | FileEntry['attrs']): RemoteEntry => ({
  name,
  size: attrs.size,
  mtime: new Date(attrs.mtime * 1000),
  type: typeOf(attrs.mode),
});

/** The SftpSession connectSftp returns: ssh2's client and SFTP channel stay out of the public types. */
export class _SftpConnection implements SftpSession, _Channel {
  readonly sftp: SFTPWrapper;
  readonly timeoutMs: number;
  readonly chunkSize: number;
  readonly inFlight: number;
  /** The server's host key, as it was checked against the pins (`SHA256:…`). */
  readonly hostKeyFingerprint: string;
  readonly #client: Client;
  readonly #logger: Logger;
  #lost: PasserelleError | undefined;
  #closed = false;

  constructor(init: _SftpSessionInit) {
    this.#client = init.client;
    this.sftp = init.sftp;
    this.timeoutMs = init.timeoutMs;
    this.chunkSize = init.chunkSize;
    this.inFlight = init.inFlight;
    this.hostKeyFingerprint = init.hostKeyFingerprint;
    this.#logger = init.logger;
    const gone = (reason: string) => () => {
      this.#lost ??= _lostError('session', init.where, new Error(reason));
    };
    init.client.on('close', () => {
      this.#closed = true;
      gone('connection closed')();
    });
    init.client.on('error', gone('connection error'));
    init.sftp.on('close', gone('SFTP channel closed'));
  }

  /** Set once the connection is gone (closed, lost or ended after a timeout). */
  get lost(): PasserelleError | undefined {
    return this.#lost;
  }

  /** @internal Ends the connection after a timeout. */
  abort(reason: PasserelleError): void {
    this.#lost ??= reason;
    this.#logger.warn({ code: reason.code }, 'SFTP session aborted');
    this.#client.destroy();
  }

  /** Lists a directory (without `.` and `..`), sorted by name. */
  async list(dir: string): Promise<RemoteEntry[]> {
    const entries = await _call<FileEntry[]>(this, 'readdir', dir, (cb) => this.sftp.readdir(dir, cb));
    return entries
      .filter((e) => e.filename !== '.' && e.filename !== '..')
      .map((e) => entry(e.filename, e.attrs))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The entry at `path` (not following a final symlink), or undefined when there is none. */
  async stat(path: string): Promise<RemoteEntry | undefined> {
    try {
      const attrs = await _call<Stats>(this, 'lstat', path, (cb) => this.sftp.lstat(path, cb));
      return entry(path.slice(path.lastIndexOf('/') + 1), attrs);
    } catch (err) {
      if (_sftpStatus((err as PasserelleError).cause) === _NO_SUCH_FILE) return undefined;
      throw err;
    }
  }

  /**
   * Renames `from` to `to`. Plain SFTP rename refuses an existing target; with `overwrite` the
   * OpenSSH `posix-rename@openssh.com` extension replaces it atomically (when the server has it).
   */
  async rename(from: string, to: string, { overwrite = false }: { overwrite?: boolean } = {}): Promise<void> {
    await _call<void>(this, 'rename', `${from} -> ${to}`, (cb) =>
      overwrite ? this.sftp.ext_openssh_rename(from, to, cb) : this.sftp.rename(from, to, cb),
    );
  }

  /** Removes a file. */
  async remove(path: string): Promise<void> {
    await _call<void>(this, 'remove', path, (cb) => this.sftp.unlink(path, cb));
  }

  /** Creates an empty file; refused (ERR_SFTP_REMOTE) when one exists already. */
  async writeEmpty(path: string): Promise<void> {
    const handle = await _call<Buffer>(this, 'open', path, (cb) => this.sftp.open(path, 'wx', cb));
    await _call<void>(this, 'close', path, (cb) => this.sftp.close(handle, cb));
  }

  /**
   * Uploads a local file, streamed with many writes in flight. From zero the remote file is
   * created or truncated; with `resumeFrom` it must exist, is cut to that size and completed.
   * Resolves to the local size.
   */
  async upload(
    localPath: string,
    remotePath: string,
    options: UploadOptions = {},
  ): Promise<{ bytes: number }> {
    const resumeFrom = options.resumeFrom ?? 0;
    const flags = resumeFrom > 0 ? 'r+' : 'w';
    const handle = await _call<Buffer>(this, 'open', remotePath, (cb) =>
      this.sftp.open(remotePath, flags, cb),
    );
    try {
      if (resumeFrom > 0)
        await _call<void>(this, 'fsetstat', remotePath, (cb) =>
          this.sftp.fsetstat(handle, { size: resumeFrom }, cb),
        );
      const bytes = await _uploadToHandle(this, handle, localPath, remotePath, {
        resumeFrom,
        onProgress: options.onProgress,
        hash: options.hash,
      });
      return { bytes };
    } finally {
      await _call<void>(this, 'close', remotePath, (cb) => this.sftp.close(handle, cb)).catch(() => {});
    }
  }

  /** Writes a small buffer (an FS file) to a new or truncated remote file. */
  writeFile(path: string, data: Buffer): Promise<void> {
    return _writeSmall(this, path, data);
  }

  /** Downloads a remote file atomically (temp name in the same folder, fsync, rename). */
  download(remotePath: string, localPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    return _download(this, remotePath, localPath, options.onProgress);
  }

  /** SHA-256 (hex) of the first `length` bytes of a remote file, read back streamed. */
  async sha256Prefix(remotePath: string, length: number): Promise<{ sha256: string; bytes: number }> {
    const handle = await _call<Buffer>(this, 'open', remotePath, (cb) => this.sftp.open(remotePath, 'r', cb));
    try {
      const hash = createHash('sha256');
      const bytes = await _readRange(this, handle, remotePath, 0, length, (chunk) => void hash.update(chunk));
      return { sha256: hash.digest('hex'), bytes };
    } finally {
      await _call<void>(this, 'close', remotePath, (cb) => this.sftp.close(handle, cb)).catch(() => {});
    }
  }

  /** Closes the session and its connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.#client.once('close', done);
      this.#client.end();
      setTimeout(done, 2000).unref();
    });
    this.#lost ??= _lostError('session', 'closed');
  }
}
