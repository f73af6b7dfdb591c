import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { _chunks } from './_chunks.ts';
import type { MtomAttachmentSource } from './types.ts';

/**
 * Bytes per read of a file attachment when it is sent or spooled: Node's default. Larger reads
 * send a file faster when the sender is the bottleneck (a raw HTTPS upload is up to twice as fast
 * with 1 MiB reads on the bench machine), but each read is a fresh Buffer and the larger ones
 * outlive more young-generation collections: with the bench's 1 MB young generation, the client
 * peaked at 150-153 MB RSS with 1 MiB reads against some 130 MB with 64 KiB, for the same MTOM
 * throughput (the receiver's hashing bounds it, not the sender).
 */
export const _FILE_CHUNK = 64 * 1024;
/** Size of the one reusable buffer of a digest pass over a file. */
const DIGEST_CHUNK = 1024 * 1024;

/** Opens a source for reading; `stream` sources may be opened once only (TypeError after). */
export function _openSource(source: MtomAttachmentSource, used: WeakSet<object>): Readable {
  if ('file' in source) return createReadStream(source.file, { highWaterMark: _FILE_CHUNK });
  if ('open' in source) return source.open();
  if ('data' in source) {
    const data = source.data;
    return Readable.from(
      (function* () {
        for (let i = 0; i < data.byteLength; i += _FILE_CHUNK)
          yield Buffer.from(data.buffer, data.byteOffset + i, Math.min(_FILE_CHUNK, data.byteLength - i));
      })(),
    );
  }
  if (used.has(source)) throw new TypeError('An MTOM attachment given as a stream can be read only once');
  used.add(source);
  return source.stream;
}

/**
 * The bytes of a replayable source as an async sequence of chunks, for a digest pass. A file is
 * read through ONE reusable buffer (each chunk is only valid until the next is asked for): a
 * gigabyte digested this way leaves no garbage behind, so memory stays flat.
 */
export async function* _digestChunks(
  source: MtomAttachmentSource,
  used: WeakSet<object>,
): AsyncGenerator<Buffer> {
  if (!('file' in source)) {
    yield* _chunks(_openSource(source, used));
    return;
  }
  const handle = await open(source.file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(DIGEST_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The size of a source when known without reading it. */
export async function _sourceSize(source: MtomAttachmentSource): Promise<number | undefined> {
  if ('file' in source) return (await stat(source.file)).size;
  if ('data' in source) return source.data.byteLength;
  return source.size;
}

/** True when the source can be read twice (needed to sign it: digest, then send). */
export function _isReplayable(source: MtomAttachmentSource): boolean {
  return !('stream' in source);
}
