import type { _Channel } from './_request.ts';
import { _call } from './_request.ts';

/** Spare buffers of one size, reused across the requests of one transfer. */
export class _BufferPool {
  readonly #size: number;
  readonly #max: number;
  readonly #free: Buffer[] = [];

  constructor(size: number, max: number) {
    this.#size = size;
    this.#max = max;
  }

  /** A buffer of `length` bytes: a spare one when `length` is the pool's size. */
  take(length: number): Buffer {
    return (length === this.#size && this.#free.pop()) || Buffer.allocUnsafe(length);
  }

  /** Gives back a buffer no longer used (only whole buffers of the pool's size are kept). */
  give(buf: Buffer): void {
    if (buf.byteOffset === 0 && buf.length === this.#size && buf.buffer.byteLength === this.#size)
      if (this.#free.length < this.#max) this.#free.push(buf);
  }
}

/**
 * Reads `[start, end)` of an open remote file with up to `channel.inFlight` read requests of
 * `channel.chunkSize` bytes in flight, handing the bytes to `sink` strictly in order (a chunk
 * that arrives early waits, so at most inFlight chunks are held). A short read is continued; an
 * early end of file ends the range. Resolves to the number of bytes read. With `pool`, the
 * buffers of the reads are taken from it (the sink gives them back when done with them), so a
 * long transfer reuses inFlight-odd buffers instead of allocating one per request.
 */
export async function _readRange(
  channel: _Channel,
  handle: Buffer,
  path: string,
  start: number,
  end: number,
  sink: (chunk: Buffer) => void | Promise<void>,
  pool?: _BufferPool,
): Promise<number> {
  const { sftp, chunkSize, inFlight } = channel;
  const done = new Map<number, Buffer>();
  let next = start; // next offset to request
  let flushed = start; // everything before is in the sink
  let eof = false;
  let failure: unknown;
  let running = 0;
  let wake: (() => void) | undefined;
  let signalled = false;
  const notify = () => {
    signalled = true;
    const w = wake;
    wake = undefined;
    w?.();
  };

  const readChunk = async (position: number, length: number): Promise<void> => {
    const buf = pool?.take(length) ?? Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = await _call<number>(channel, 'read', path, (cb) =>
        sftp.read(handle, buf, got, length - got, position + got, (err, bytes) => cb(err, bytes)),
      );
      if (!n) break;
      got += n;
    }
    if (got < length) eof = true;
    done.set(position, got === length ? buf : buf.subarray(0, got));
  };

  const fill = (): void => {
    while (!failure && !eof && next < end && running + done.size < inFlight) {
      const length = Math.min(chunkSize, end - next);
      const position = next;
      next += length;
      running++;
      readChunk(position, length)
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => {
          running--;
          notify();
        });
    }
  };

  while (true) {
    signalled = false;
    fill();
    let chunk = done.get(flushed);
    while (chunk && chunk.length > 0 && !failure) {
      done.delete(flushed);
      flushed += chunk.length;
      fill();
      await sink(chunk);
      chunk = done.get(flushed);
    }
    if (running === 0 && (failure || eof || flushed >= end)) break;
    if (!signalled)
      await new Promise<void>((r) => {
        wake = r;
      });
  }
  if (failure) throw failure;
  return flushed - start;
}
