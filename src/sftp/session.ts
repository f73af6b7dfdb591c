import type { Hash } from 'node:crypto';
import type { PasserelleError } from '../errors.ts';

/** Bytes moved so far of a transfer, and its size. */
export interface TransferProgress {
  readonly bytes: number;
  readonly total: number;
}

/** A completed download: its size and SHA-256 (hex). */
export interface DownloadResult {
  readonly bytes: number;
  readonly sha256: string;
}

/** One remote directory entry or stat result. */
export interface RemoteEntry {
  readonly name: string;
  readonly size: number;
  readonly mtime: Date;
  readonly type: 'file' | 'directory' | 'symlink' | 'other';
}

export interface UploadOptions {
  /** Continue an earlier upload at this offset (the remote prefix is kept, the rest rewritten). */
  readonly resumeFrom?: number;
  readonly onProgress?: (progress: TransferProgress) => void;
  /** Updated with the bytes sent, in order (not the resumed prefix). */
  readonly hash?: Hash;
}

export interface DownloadOptions {
  readonly onProgress?: (progress: TransferProgress) => void;
}

/**
 * An open SFTP session (from connectSftp / connectSftpEnvironment). Every request has the
 * session's timeout; a lost connection fails every pending and later request with
 * ERR_SFTP_CONNECT, a refusal is ERR_SFTP_REMOTE (details.status, details.path). Paths are
 * remote paths as the server understands them (relative to the login directory unless absolute).
 */
export interface SftpSession {
  /** The server's host key, as it was checked against the pins (`SHA256:…`). */
  readonly hostKeyFingerprint: string;
  /** Set once the connection is gone (closed, lost or ended after a timeout). */
  readonly lost: PasserelleError | undefined;
  /** Lists a directory (without `.` and `..`), sorted by name. */
  list(dir: string): Promise<RemoteEntry[]>;
  /** The entry at `path` (not following a final symlink), or undefined when there is none. */
  stat(path: string): Promise<RemoteEntry | undefined>;
  /**
   * Renames `from` to `to`. Plain SFTP rename refuses an existing target; with `overwrite` the
   * OpenSSH `posix-rename@openssh.com` extension replaces it atomically (when the server has it).
   */
  rename(from: string, to: string, options?: { overwrite?: boolean }): Promise<void>;
  /** Removes a file. */
  remove(path: string): Promise<void>;
  /** Creates an empty file; refused (ERR_SFTP_REMOTE) when one exists already. */
  writeEmpty(path: string): Promise<void>;
  /** Writes a small buffer (an FS file) to a new or truncated remote file. */
  writeFile(path: string, data: Buffer): Promise<void>;
  /**
   * Uploads a local file, streamed with many writes in flight. From zero the remote file is
   * created or truncated; with `resumeFrom` it must exist, is cut to that size and completed.
   * Resolves to the local size.
   */
  upload(localPath: string, remotePath: string, options?: UploadOptions): Promise<{ bytes: number }>;
  /** Downloads a remote file atomically (temp name in the same folder, fsync, rename). */
  download(remotePath: string, localPath: string, options?: DownloadOptions): Promise<DownloadResult>;
  /** SHA-256 (hex) of the first `length` bytes of a remote file, read back streamed. */
  sha256Prefix(remotePath: string, length: number): Promise<{ sha256: string; bytes: number }>;
  /** Closes the session and its connection. */
  close(): Promise<void>;
}
