import { createHash, type Hash, randomBytes } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A document received in full: where it waits, its size and digests (base64 of the raw digest). */
export interface _ReceivedDocument {
  readonly tmpPath: string;
  readonly size: number;
  readonly sha256: string;
  readonly sha512: string | undefined;
}

/** Bytes gathered before one disk write: network chunks are small, writes should not be. */
const BLOCK = 256 * 1024;

/**
 * Streams one document to a temporary file (0600) under `dir` while hashing it (SHA-256, and
 * SHA-512 when asked), with backpressure: `write` resolves once the bytes are handed to the
 * file. `finish` flushes and fsyncs; `commit` renames the file to its final name; `abort`
 * removes it. Memory: at most one block.
 */
export class _DocumentSink {
  readonly #tmpPath: string;
  readonly #sha256: Hash = createHash('sha256');
  readonly #sha512: Hash | undefined;
  #file: FileHandle | undefined;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #size = 0;

  private constructor(tmpPath: string, sha512: boolean) {
    this.#tmpPath = tmpPath;
    this.#sha512 = sha512 ? createHash('sha512') : undefined;
  }

  static async create(dir: string, options: { readonly sha512: boolean }): Promise<_DocumentSink> {
    const sink = new _DocumentSink(join(dir, `.incoming-${randomBytes(12).toString('hex')}`), options.sha512);
    sink.#file = await open(sink.#tmpPath, 'wx', 0o600);
    return sink;
  }

  get size(): number {
    return this.#size;
  }

  async write(chunk: Buffer): Promise<void> {
    this.#sha256.update(chunk);
    this.#sha512?.update(chunk);
    this.#size += chunk.length;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= BLOCK) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0 || this.#file === undefined) return;
    const block = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    let at = 0;
    while (at < block.length) at += (await this.#file.write(block, at)).bytesWritten;
  }

  /** Flushes, fsyncs and closes the file; returns what was received. */
  async finish(): Promise<_ReceivedDocument> {
    await this.#flush();
    const file = this.#file;
    this.#file = undefined;
    if (file !== undefined) {
      await file.sync();
      await file.close();
    }
    return {
      tmpPath: this.#tmpPath,
      size: this.#size,
      sha256: this.#sha256.digest('base64'),
      sha512: this.#sha512?.digest('base64'),
    };
  }

  /** Removes the temporary file (safe at any point, and more than once). */
  async abort(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    await file?.close().catch(() => {});
    await rm(this.#tmpPath, { force: true });
  }
}
