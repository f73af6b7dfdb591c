import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { _FileWriter } from './_file-writer.ts';
import { _BufferPool, _readRange } from './_read-range.ts';
import { type _Channel, _call } from './_request.ts';
import type { DownloadResult, TransferProgress } from './session.ts';

/** A finished download: its size and SHA-256 (hex). */
/** The temporary name of a download in progress: hidden, in the final file's folder. */
export function _downloadTempName(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.part`);
}

/**
 * Downloads a remote file atomically: streamed (pipelined reads, in-order writes) into a hidden
 * temporary file in the same local folder (contiguous chunks coalesced into few big writes), fsync'd, then renamed over `finalPath`; on any failure
 * the temporary file is removed, so `finalPath` is either absent, its old self, or complete.
 */
export async function _download(
  channel: _Channel,
  remotePath: string,
  finalPath: string,
  onProgress?: (progress: TransferProgress) => void,
): Promise<DownloadResult> {
  const { sftp } = channel;
  const handle = await _call<Buffer>(channel, 'open', remotePath, (cb) => sftp.open(remotePath, 'r', cb));
  const temp = _downloadTempName(finalPath);
  let renamed = false;
  try {
    const attrs = await _call<{ size: number }>(channel, 'fstat', remotePath, (cb) => sftp.fstat(handle, cb));
    const total = attrs.size;
    const hash = createHash('sha256');
    const file = await open(temp, 'wx', 0o600);
    const pool = new _BufferPool(channel.chunkSize, 2 * channel.inFlight);
    const writer = new _FileWriter(file, 2 * channel.inFlight * channel.chunkSize, (b) => pool.give(b));
    let bytes = 0;
    try {
      await _readRange(
        channel,
        handle,
        remotePath,
        0,
        total,
        (chunk) => {
          hash.update(chunk);
          bytes += chunk.length;
          onProgress?.({ bytes, total });
          return writer.push(chunk);
        },
        pool,
      );
      await writer.finish();
    } finally {
      await writer.settle();
      await file.close();
    }
    await rename(temp, finalPath);
    renamed = true;
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    if (!renamed) await unlink(temp).catch(() => {});
    await _call(channel, 'close', remotePath, (cb) => sftp.close(handle, cb)).catch(() => {});
  }
}
