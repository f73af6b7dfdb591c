import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Logger } from '../log.ts';
import type { SftpSession } from './session.ts';

/** Where an upload starts again, with the local file's hash fed up to that offset. */
export interface _ResumePoint {
  readonly resumedFrom: number;
  readonly restarted: boolean;
  /** SHA-256 of the local file so far (the resumed prefix); the upload continues it. */
  readonly hash: Hash;
}

async function hashLocalPrefix(path: string, length: number, hash: Hash): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
}

/**
 * Decides where the upload of `local` to the remote temporary name continues: at the remote
 * size when the remote bytes are byte for byte the local prefix (SHA-256 of both, the remote one
 * read back streamed); otherwise the remote file is removed and the upload restarts from zero
 * (`restarted`). No remote file: from zero.
 */
export async function _resumePoint(
  session: SftpSession,
  local: string,
  localSize: number,
  remoteTemp: string,
  logger: Logger,
): Promise<_ResumePoint> {
  const remote = await session.stat(remoteTemp);
  if (!remote || remote.size === 0) return { resumedFrom: 0, restarted: false, hash: createHash('sha256') };
  const restart = async (why: string) => {
    logger.warn({ path: remoteTemp, remoteSize: remote.size, why }, 'SFTP upload restarts from zero');
    await session.remove(remoteTemp);
    return { resumedFrom: 0, restarted: true, hash: createHash('sha256') };
  };
  if (remote.type !== 'file' || remote.size > localSize)
    return restart('remote file larger than the local one');
  const hash = createHash('sha256');
  const [theirs] = await Promise.all([
    session.sha256Prefix(remoteTemp, remote.size),
    hashLocalPrefix(local, remote.size, hash),
  ]);
  const ours = hash.copy().digest('hex');
  if (theirs.bytes !== remote.size || theirs.sha256 !== ours)
    return restart('remote prefix differs from the local file');
  logger.info({ path: remoteTemp, resumedFrom: remote.size }, 'SFTP upload resumes');
  return { resumedFrom: remote.size, restarted: false, hash };
}
