import type { Dir } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { _Resolved } from './_paths.ts';
import { _Refusal } from './_refusal.ts';

/** An open file of a session; `write` handles count towards the account's quota. */
export interface _FileHandle {
  readonly kind: 'file';
  readonly fh: FileHandle;
  readonly path: _Resolved;
  readonly write: boolean;
}

/** An open folder of a session, listed page by page. */
export interface _DirHandle {
  readonly kind: 'dir';
  readonly dir: Dir;
  readonly path: _Resolved;
  done: boolean;
}

export type _Handle = _FileHandle | _DirHandle;

/**
 * The handles of one SFTP session: opaque 4-byte ids, at most `max` open at once (one more is
 * refused with FAILURE, reason `handles`), all closed when the session ends.
 */
export class _HandleTable {
  readonly #open = new Map<number, _Handle>();
  #next = 1;

  constructor(readonly max: number) {}

  get size(): number {
    return this.#open.size;
  }

  /** Throws the `handles` refusal when no further handle may be opened. */
  reserve(): void {
    if (this.#open.size >= this.max) throw new _Refusal('handles', 'FAILURE', 'too many open handles');
  }

  add(handle: _Handle): Buffer {
    this.reserve();
    const id = this.#next;
    this.#next = this.#next >= 0xffffffff ? 1 : this.#next + 1;
    this.#open.set(id, handle);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  }

  #id(buf: Buffer): number {
    if (buf.length !== 4) throw new _Refusal('bad-handle', 'FAILURE', 'invalid handle');
    return buf.readUInt32BE();
  }

  get(buf: Buffer): _Handle {
    const h = this.#open.get(this.#id(buf));
    if (h === undefined) throw new _Refusal('bad-handle', 'FAILURE', 'invalid handle');
    return h;
  }

  /** Removes the handle (the caller closes what it holds). */
  take(buf: Buffer): _Handle {
    const h = this.get(buf);
    this.#open.delete(this.#id(buf));
    return h;
  }

  /** Removes every handle, returning them so the caller closes them. */
  drain(): _Handle[] {
    const all = [...this.#open.values()];
    this.#open.clear();
    return all;
  }
}
