import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { _FILE_CHUNK } from './source.ts';

/**
 * Temporary files for parts that arrive before the caller asks for them: a private directory
 * (mode 0700) created on first use, one file per part, all removed by `dispose`.
 */
export class _Spool {
  readonly #parent: string;
  #dir: Promise<string> | undefined;
  #count = 0;

  constructor(parent: string = tmpdir()) {
    this.#parent = parent;
  }

  /** Writes chunks from `next` (until it returns undefined) to a new file, with backpressure. */
  async write(next: () => Promise<Buffer | undefined>): Promise<string> {
    this.#dir ??= mkdtemp(join(this.#parent, 'passerelle-mtom-'));
    const file = join(await this.#dir, `part-${++this.#count}`);
    const out = createWriteStream(file, { mode: 0o600 });
    try {
      for (let chunk = await next(); chunk !== undefined; chunk = await next()) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    } catch (error) {
      out.destroy();
      throw error;
    }
    return file;
  }

  open(file: string): Readable {
    return createReadStream(file, { highWaterMark: _FILE_CHUNK });
  }

  async dispose(): Promise<void> {
    const dir = this.#dir;
    this.#dir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}
