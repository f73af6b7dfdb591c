import type { FileHandle } from 'node:fs/promises';

/** Bytes between two background fdatasync calls of a long download. */
const SYNC_EVERY = 64 * 1024 * 1024;

/**
 * Writes chunks to a local file in order without waiting for each write: chunks queue up and
 * one `writev` at a time writes every queued chunk at its offset, so many small pieces become
 * few big writes. `push` returns a promise only when more than `maxQueued` bytes wait (the
 * caller's back-pressure). Every SYNC_EVERY bytes an fdatasync runs in the background so that the
 * final `finish` (which syncs) does not wait for the whole file to reach the disk at once.
 */
export class _FileWriter {
  readonly #file: FileHandle;
  readonly #maxQueued: number;
  #queue: Buffer[] = [];
  /** Bytes pushed and not yet written (queued or being written). */
  #queued = 0;
  #position = 0;
  #synced = 0;
  #writing: Promise<void> | undefined;
  #syncing: Promise<void> | undefined;
  #failure: unknown;

  readonly #written: ((chunk: Buffer) => void) | undefined;

  /** `written` is handed each chunk once it is in the file (to reuse its buffer). */
  constructor(file: FileHandle, maxQueued: number, written?: (chunk: Buffer) => void) {
    this.#file = file;
    this.#written = written;
    this.#maxQueued = maxQueued;
  }

  /** Queues `chunk` after the previous ones; a promise when the caller must wait (too much queued). */
  push(chunk: Buffer): Promise<void> | undefined {
    if (this.#failure) throw this.#failure;
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    this.#writing ??= this.#drain();
    return this.#queued > this.#maxQueued ? this.#writing : undefined;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#failure) {
        const buffers = this.#queue;
        const bytes = buffers.reduce((n, b) => n + b.length, 0);
        this.#queue = [];
        await this.#writeAll(buffers, bytes);
        this.#queued -= bytes;
        if (this.#written) for (const b of buffers) this.#written(b);
        if (this.#position - this.#synced >= SYNC_EVERY && !this.#syncing) {
          this.#synced = this.#position;
          this.#syncing = this.#file
            .datasync()
            .catch((err: unknown) => {
              this.#failure ??= err;
            })
            .finally(() => {
              this.#syncing = undefined;
            });
        }
      }
    } catch (err) {
      this.#failure ??= err;
    } finally {
      this.#writing = undefined;
    }
  }

  async #writeAll(buffers: Buffer[], bytes: number): Promise<void> {
    let left = bytes;
    let pieces = [...buffers];
    while (left > 0) {
      const { bytesWritten } = await this.#file.writev(pieces, this.#position);
      this.#position += bytesWritten;
      left -= bytesWritten;
      if (left === 0) break;
      // A short write: drop what was written and go on with the rest.
      let skip = bytesWritten;
      while (skip >= (pieces[0]?.length ?? 0) && pieces.length > 0) skip -= pieces.shift()!.length;
      if (skip > 0) pieces = [pieces[0]!.subarray(skip), ...pieces.slice(1)];
    }
  }

  /** Waits for every queued write and syncs the file; throws the first write failure. */
  async finish(): Promise<number> {
    while (this.#writing) await this.#writing;
    await this.#syncing;
    if (this.#failure) throw this.#failure;
    await this.#file.sync();
    return this.#position;
  }

  /** Waits for the writes in progress (after a failure elsewhere), ignoring their outcome. */
  async settle(): Promise<void> {
    while (this.#writing) await this.#writing.catch(() => {});
    await this.#syncing?.catch(() => {});
  }
}
