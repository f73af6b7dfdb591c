import type { Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type _Channel, _call } from './_request.ts';
import type { TransferProgress } from './session.ts';

/** Progress of a transfer: bytes done (including a resumed prefix) out of the total. */
export interface _UploadOptions {
  resumeFrom: number;
  onProgress?: ((progress: TransferProgress) => void) | undefined;
  /** Fed with the bytes sent, in order (the resumed prefix is the caller's). */
  hash?: Hash | undefined;
}

/**
 * Streams a local file to an open remote handle from `resumeFrom` on: the file is read in order,
 * `chunkSize` bytes at a time, and up to `inFlight` WRITE requests at their offsets are
 * outstanding; a new read waits for a slot, so memory stays at inFlight × chunkSize whatever the
 * size. Resolves to the local size once every write is acknowledged; the first failure stops it.
 */
export async function _uploadToHandle(
  channel: _Channel,
  handle: Buffer,
  localPath: string,
  remotePath: string,
  { resumeFrom, onProgress, hash }: _UploadOptions,
): Promise<number> {
  const { sftp, chunkSize, inFlight } = channel;
  const file = await open(localPath, 'r');
  try {
    const total = (await file.stat()).size;
    let position = resumeFrom;
    let acked = resumeFrom;
    let running = 0;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    while (position < total && !failure) {
      if (running >= inFlight) {
        await new Promise<void>((r) => {
          wake = r;
        });
        continue;
      }
      const length = Math.min(chunkSize, total - position);
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await file.read(buf, 0, length, position);
      if (bytesRead !== length) throw new Error(`${localPath} shrank while it was being uploaded`);
      hash?.update(buf);
      const at = position;
      position += length;
      running++;
      _call<number>(channel, 'write', remotePath, (cb) => sftp.write(handle, buf, 0, length, at, cb))
        .then(() => {
          acked += length;
          onProgress?.({ bytes: acked, total });
        })
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => {
          running--;
          notify();
        });
    }
    while (running > 0)
      await new Promise<void>((r) => {
        wake = r;
      });
    if (failure) throw failure;
    if (total === resumeFrom) onProgress?.({ bytes: total, total });
    return total;
  } finally {
    await file.close();
  }
}
