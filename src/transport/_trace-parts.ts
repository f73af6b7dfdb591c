/** Where the bytes of one part go. */
export interface _PartSink {
  write(bytes: Buffer): void;
  close(): void;
}

/** The headers of one part, as the splitter found them. */
export interface _PartHead {
  readonly index: number;
  readonly contentId: string | undefined;
  readonly contentType: string | undefined;
}

/** Largest header block of a part; past it the splitter gives up (the body file stays whole). */
const MAX_PART_HEADERS = 16 * 1024;

/** The boundary of a multipart content type, or undefined. */
export function _boundaryOf(contentType: string): string | undefined {
  if (!/^\s*multipart\//i.test(contentType)) return undefined;
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^\s;"]{1,200}))/i.exec(contentType);
  return m === null ? undefined : (m[1] ?? m[2]);
}

function _header(block: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\r\\n)${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(block);
  return m?.[1]?.trim();
}

/**
 * Splits a multipart body into its parts as the bytes go by (RFC 2046 §5.1.1: a delimiter is
 * CRLF "--" boundary; the first one may start the body). Holds no more than a delimiter's length
 * of body and one part's header block. A body that is not well formed is split as far as it goes.
 */
export class _PartSplitter {
  readonly #delimiter: Buffer;
  readonly #open: (head: _PartHead) => _PartSink;
  #state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'epilogue' | 'broken' = 'preamble';
  // A virtual CRLF before the body lets the first delimiter match like the others.
  #pending: Buffer = Buffer.from('\r\n');
  #sink: _PartSink | undefined;
  #count = 0;

  constructor(boundary: string, open: (head: _PartHead) => _PartSink) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#open = open;
  }

  get parts(): number {
    return this.#count;
  }

  push(chunk: Buffer): void {
    if (this.#state === 'epilogue' || this.#state === 'broken') return;
    let buf = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    for (;;) {
      if (this.#state === 'preamble' || this.#state === 'body') {
        const at = buf.indexOf(this.#delimiter);
        if (at < 0) {
          const keep = Math.min(buf.length, this.#delimiter.length - 1);
          if (this.#state === 'body') this.#sink?.write(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
          break;
        }
        if (this.#state === 'body') {
          this.#sink?.write(buf.subarray(0, at));
          this.#sink?.close();
          this.#sink = undefined;
        }
        buf = buf.subarray(at + this.#delimiter.length);
        this.#state = 'after-delimiter';
      } else if (this.#state === 'after-delimiter') {
        // "--" closes the body; else transport padding then CRLF starts a part's headers.
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          this.#state = 'epilogue';
          buf = Buffer.alloc(0);
          break;
        }
        const eol = buf.indexOf('\r\n');
        if (eol < 0) {
          if (buf.length > MAX_PART_HEADERS) this.#state = 'broken';
          break;
        }
        buf = buf.subarray(eol + 2);
        this.#state = 'headers';
      } else if (this.#state === 'headers') {
        // An empty header block: the blank line comes right away.
        const end = buf.subarray(0, 2).equals(Buffer.from('\r\n')) ? -2 : buf.indexOf('\r\n\r\n');
        if (end === -1) {
          if (buf.length > MAX_PART_HEADERS) this.#state = 'broken';
          break;
        }
        const block = end === -2 ? '' : buf.subarray(0, end).toString('latin1');
        buf = buf.subarray(end === -2 ? 2 : end + 4);
        this.#count += 1;
        this.#sink = this.#open({
          index: this.#count,
          contentId: _header(block, 'content-id'),
          contentType: _header(block, 'content-type'),
        });
        this.#state = 'body';
      } else {
        break;
      }
    }
    this.#pending = Buffer.from(buf);
  }

  /** Ends the body: a part left open (no closing delimiter) gets what came. */
  end(): void {
    if (this.#state === 'body' && this.#sink !== undefined) {
      this.#sink.write(this.#pending);
      this.#sink.close();
      this.#sink = undefined;
    }
    this.#pending = Buffer.alloc(0);
  }
}
