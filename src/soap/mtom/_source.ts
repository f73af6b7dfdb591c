import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { MtomAttachmentSource } from './types.ts';

const CHUNK = 64 * 1024;

/** Opens a source for reading; `stream` sources may be opened once only (TypeError after). */
export function _openSource(source: MtomAttachmentSource, used: WeakSet<object>): Readable {
  if ('file' in source) return createReadStream(source.file, { highWaterMark: CHUNK });
  if ('open' in source) return source.open();
  if ('data' in source) {
    const data = source.data;
    return Readable.from(
      (function* () {
        for (let i = 0; i < data.byteLength; i += CHUNK)
          yield Buffer.from(data.buffer, data.byteOffset + i, Math.min(CHUNK, data.byteLength - i));
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
    for await (const chunk of _openSource(source, used)) yield chunk as Buffer;
    return;
  }
  const handle = await open(source.file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(4 * CHUNK);
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
