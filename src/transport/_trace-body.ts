import { closeSync } from 'node:fs';
import { join } from 'node:path';
import { _bodyExtension, _createDir, _createFile, _safeName, _writeAll } from './_trace-files.ts';
import { _boundaryOf, type _PartSink, _PartSplitter } from './_trace-parts.ts';
import { _BodyRedactor } from './_trace-redact.ts';

/** One part of a multipart body, as listed in exchange.json. */
export interface _PartRecord {
  readonly file: string;
  readonly contentId: string | null;
  readonly contentType: string | null;
  readonly bytes: number;
}

/** What a recorded body became. */
export interface _BodySummary {
  /** The body file, relative to the exchange folder; null when the body was empty. */
  readonly file: string | null;
  readonly contentType: string | null;
  /** Bytes of the body as sent or received. */
  readonly bytes: number;
  /** False when something was redacted: the file is then not byte-exact. */
  readonly exact: boolean;
  readonly redactions: readonly string[];
  readonly parts: readonly _PartRecord[];
}

/**
 * The file of one body (`request.xml`, `response.mime`, ...), written as the bytes go by through
 * the redactor; a multipart body is also split into `<role>-parts/<n>-<content-id>` files. The
 * file is created on the first byte (an empty body has none). A write failure stops the recording
 * of this body (see `failure`), never the exchange.
 */
export class _BodyRecord {
  readonly #folder: string;
  readonly #role: 'request' | 'response';
  readonly #contentType: string;
  readonly #redactor: _BodyRedactor;
  readonly #splitter: _PartSplitter | undefined;
  readonly #parts: { record: _PartRecord & { bytes: number }; fd: number | undefined }[] = [];
  readonly #prefixLimit: number;
  #prefix: Buffer[] = [];
  #prefixBytes = 0;
  #fd: number | undefined;
  #file: string | null = null;
  #bytes = 0;
  #closed = false;
  failure: unknown;

  constructor(folder: string, role: 'request' | 'response', contentType: string, prefixLimit = 0) {
    this.#folder = folder;
    this.#role = role;
    this.#contentType = contentType;
    this.#redactor = new _BodyRedactor(contentType);
    this.#prefixLimit = prefixLimit;
    const boundary = _boundaryOf(contentType);
    this.#splitter =
      boundary === undefined ? undefined : new _PartSplitter(boundary, (head) => this.#openPart(head));
  }

  /** The first `prefixLimit` bytes written (after redaction). */
  get prefix(): Buffer {
    return Buffer.concat(this.#prefix);
  }

  get bytes(): number {
    return this.#bytes;
  }

  write(chunk: Buffer): void {
    if (this.#closed || chunk.length === 0) return;
    this.#bytes += chunk.length;
    this.#guard(() => this.#emit(this.#redactor.push(chunk)));
  }

  close(): _BodySummary {
    if (!this.#closed) {
      this.#closed = true;
      this.#guard(() => {
        this.#emit(this.#redactor.end());
        this.#splitter?.end();
      });
      if (this.#fd !== undefined) closeSync(this.#fd);
      this.#fd = undefined;
      for (const part of this.#parts) {
        if (part.fd !== undefined) closeSync(part.fd);
        part.fd = undefined;
      }
    }
    return {
      file: this.#file,
      contentType: this.#contentType === '' ? null : this.#contentType,
      bytes: this.#bytes,
      exact: !this.#redactor.redacted,
      redactions: this.#redactor.kinds,
      parts: this.#parts.map((p) => p.record),
    };
  }

  #guard(fn: () => void): void {
    if (this.failure !== undefined) return;
    try {
      fn();
    } catch (error) {
      this.failure = error;
    }
  }

  #emit(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.#fd === undefined) {
      const name = `${this.#role}${_bodyExtension(this.#contentType)}`;
      this.#fd = _createFile(join(this.#folder, name));
      this.#file = name;
    }
    _writeAll(this.#fd, bytes);
    if (this.#prefixBytes < this.#prefixLimit) {
      const take = bytes.subarray(0, this.#prefixLimit - this.#prefixBytes);
      this.#prefix.push(Buffer.from(take));
      this.#prefixBytes += take.length;
    }
    this.#splitter?.push(bytes);
  }

  #openPart(head: {
    index: number;
    contentId: string | undefined;
    contentType: string | undefined;
  }): _PartSink {
    const dir = `${this.#role}-parts`;
    if (head.index === 1) _createDir(join(this.#folder, dir));
    const id = head.contentId === undefined ? '' : _safeName(head.contentId.replace(/^<|>$/g, ''), 80);
    const file = `${dir}/${String(head.index).padStart(4, '0')}${id === '' ? '' : `-${id}`}`;
    const part = {
      record: {
        file,
        contentId: head.contentId ?? null,
        contentType: head.contentType ?? null,
        bytes: 0,
      },
      fd: _createFile(join(this.#folder, file)) as number | undefined,
    };
    this.#parts.push(part);
    return {
      write: (bytes) => {
        if (part.fd === undefined || bytes.length === 0) return;
        _writeAll(part.fd, bytes);
        part.record.bytes += bytes.length;
      },
      close: () => {
        if (part.fd !== undefined) closeSync(part.fd);
        part.fd = undefined;
      },
    };
  }
}
