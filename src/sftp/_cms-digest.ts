import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { inputFileError } from '../input-file.ts';
import type { FsDigest } from './_cms-algorithms.ts';

/**
 * Hashes the FI data incrementally: `data` is a file path (read as a stream) or a stream of its
 * bytes. Never buffers the file, so multi-GB submissions hash in constant memory. A path that
 * cannot be read is ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE.
 */
export async function hashData(data: string | AsyncIterable<Uint8Array>, digest: FsDigest): Promise<Buffer> {
  const hash = createHash(digest);
  const source = typeof data === 'string' ? createReadStream(data, { highWaterMark: 1024 * 1024 }) : data;
  try {
    for await (const chunk of source) hash.update(chunk);
  } catch (cause) {
    if (typeof data !== 'string' || !(cause as NodeJS.ErrnoException)?.code) throw cause;
    throw inputFileError(cause, data, { what: 'submission file' });
  }
  return hash.digest();
}
