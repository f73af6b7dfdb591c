import { PasserelleError } from '../../errors.ts';
import type { MtomLimits } from './limits.ts';

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
/** Transport padding allowed after a boundary line (RFC 2046 §5.1.1). */
const MAX_PADDING = 64;

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'end';

/**
 * A pull parser of a multipart body (RFC 2046 §5.1) over an async source of chunks: nothing is
 * read from the source until the caller asks for more, so a slow consumer throttles the sender
 * (backpressure) and memory stays bounded by one chunk plus a delimiter. Part bodies are
 * returned as subarrays of the source chunks (no copy). Errors: ERR_MTOM_MALFORMED (a
 * delimiter that never comes, a boundary followed by garbage), ERR_MTOM_LIMIT (header, part
 * count, preamble/epilogue and total size limits).
 */
export class _MultipartReader {
  readonly #source: AsyncIterator<unknown>;
  readonly #delimiter: Buffer;
  readonly #limits: MtomLimits;
  #buf: Buffer = CRLF; // a virtual CRLF so that the first delimiter needs no special case
  #pos = 0;
  #eof = false;
  #state: State = 'preamble';
  #total = 0;
  #parts = 0;
  #partEnded = false;

  constructor(source: AsyncIterable<unknown>, boundary: string, limits: MtomLimits) {
    this.#source = source[Symbol.asyncIterator]();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#limits = limits;
  }

  /** True once the close delimiter was read and the source ended. */
  get finished(): boolean {
    return this.#state === 'end' && this.#eof;
  }

  /** Reads more input; false at the end of the source. Keeps unconsumed bytes. */
  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    const next = await this.#source.next();
    if (next.done) {
      this.#eof = true;
      return false;
    }
    const value = next.value;
    const chunk = Buffer.isBuffer(value)
      ? value
      : value instanceof Uint8Array
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : typeof value === 'string'
          ? Buffer.from(value, 'latin1')
          : EMPTY;
    this.#total += chunk.length;
    if (this.#total > this.#limits.maxTotalBytes) {
      throw new PasserelleError(
        'ERR_MTOM_LIMIT',
        `The MTOM package exceeds ${this.#limits.maxTotalBytes} bytes`,
        {
          details: { limit: this.#limits.maxTotalBytes },
        },
      );
    }
    const rest = this.#buf.length - this.#pos;
    this.#buf = rest === 0 ? chunk : Buffer.concat([this.#buf.subarray(this.#pos), chunk]);
    this.#pos = 0;
    return true;
  }

  #available(): number {
    return this.#buf.length - this.#pos;
  }

  /** Length of the longest suffix of the buffer that starts the delimiter (held back between chunks). */
  #heldBack(): number {
    const buf = this.#buf;
    const d = this.#delimiter;
    for (let i = Math.max(this.#pos, buf.length - d.length + 1); i < buf.length; i++) {
      if (buf[i] === 0x0d && buf.compare(d, 0, buf.length - i, i) === 0) return buf.length - i;
    }
    return 0;
  }

  #malformed(message: string): never {
    throw new PasserelleError('ERR_MTOM_MALFORMED', message, {
      hint: 'The MTOM package is not a complete multipart/related body with the announced boundary.',
    });
  }

  #limit(message: string, limit: number): never {
    throw new PasserelleError('ERR_MTOM_LIMIT', message, { details: { limit } });
  }

  async #skipPreamble(): Promise<void> {
    let skipped = 0;
    for (;;) {
      const at = this.#buf.indexOf(this.#delimiter, this.#pos);
      if (at >= 0) {
        skipped += at - this.#pos;
        this.#pos = at + this.#delimiter.length;
        break;
      }
      const keep = this.#heldBack();
      skipped += this.#available() - keep;
      this.#pos = this.#buf.length - keep;
      if (skipped > this.#limits.maxHeaderBytes)
        this.#limit('The MTOM preamble is too long', this.#limits.maxHeaderBytes);
      if (!(await this.#fill())) this.#malformed('The MTOM body holds no boundary delimiter');
    }
    if (skipped > this.#limits.maxHeaderBytes)
      this.#limit('The MTOM preamble is too long', this.#limits.maxHeaderBytes);
    this.#state = 'after-delimiter';
  }

  /** After a delimiter: "--" closes the multipart; else optional padding then CRLF opens a part. */
  async #afterDelimiter(): Promise<void> {
    while (this.#available() < 2)
      if (!(await this.#fill())) this.#malformed('The MTOM body ends inside a boundary line');
    if (this.#buf[this.#pos] === 0x2d && this.#buf[this.#pos + 1] === 0x2d) {
      this.#pos += 2;
      this.#state = 'end';
      await this.#drainEpilogue();
      return;
    }
    let i = this.#pos;
    for (;;) {
      while (i >= this.#buf.length - 1) {
        const offset = i - this.#pos;
        if (!(await this.#fill())) this.#malformed('The MTOM body ends inside a boundary line');
        i = this.#pos + offset;
      }
      const c = this.#buf[i];
      if (c === 0x0d && this.#buf[i + 1] === 0x0a) break;
      if (c !== 0x20 && c !== 0x09)
        this.#malformed('A boundary delimiter is followed by other data (boundary inside the content?)');
      if (i - this.#pos > MAX_PADDING) this.#malformed('Too much padding after a boundary delimiter');
      i++;
    }
    this.#pos = i; // at the CRLF ending the boundary line: the header block search starts here
    this.#state = 'headers';
  }

  async #drainEpilogue(): Promise<void> {
    let size = this.#available();
    this.#pos = this.#buf.length;
    while (await this.#fill()) {
      size += this.#available();
      this.#pos = this.#buf.length;
      if (size > this.#limits.maxHeaderBytes)
        this.#limit('The MTOM epilogue is too long', this.#limits.maxHeaderBytes);
    }
    if (size > this.#limits.maxHeaderBytes)
      this.#limit('The MTOM epilogue is too long', this.#limits.maxHeaderBytes);
  }

  /**
   * Advances to the next part and returns its raw header block (without the final CRLF CRLF),
   * or undefined after the close delimiter. An unread rest of the current part is skipped.
   */
  async nextPart(): Promise<Buffer | undefined> {
    if (this.#state === 'body') while ((await this.readBody()) !== undefined);
    if (this.#state === 'preamble') await this.#skipPreamble();
    if (this.#state === 'after-delimiter') await this.#afterDelimiter();
    if (this.#state === 'end') return undefined;
    this.#parts += 1;
    if (this.#parts > this.#limits.maxParts)
      this.#limit(`The MTOM package has more than ${this.#limits.maxParts} parts`, this.#limits.maxParts);
    for (;;) {
      const at = this.#buf.indexOf(HEADER_END, this.#pos);
      const size = at >= 0 ? at - this.#pos - 2 : this.#available() - 4;
      if (size > this.#limits.maxHeaderBytes)
        this.#limit('A part header block is too large', this.#limits.maxHeaderBytes);
      if (at >= 0) {
        // The block between the boundary line's CRLF and CRLF CRLF; empty when they overlap.
        const block = at === this.#pos ? EMPTY : Buffer.from(this.#buf.subarray(this.#pos + 2, at));
        this.#pos = at + HEADER_END.length;
        this.#state = 'body';
        this.#partEnded = false;
        return block;
      }
      if (!(await this.#fill())) this.#malformed('The MTOM body ends inside a part header block');
    }
  }

  /** The next chunk of the current part's body, or undefined at its end (the next delimiter). */
  async readBody(): Promise<Buffer | undefined> {
    if (this.#state !== 'body') return undefined;
    if (this.#partEnded) {
      this.#state = 'after-delimiter';
      return undefined;
    }
    for (;;) {
      if (this.#available() > 0) {
        const at = this.#buf.indexOf(this.#delimiter, this.#pos);
        if (at >= 0) {
          const out = this.#buf.subarray(this.#pos, at);
          this.#pos = at + this.#delimiter.length;
          this.#partEnded = true;
          if (out.length > 0) return out;
          this.#state = 'after-delimiter';
          return undefined;
        }
        const keep = this.#heldBack();
        const end = this.#buf.length - keep;
        if (end > this.#pos) {
          const out = this.#buf.subarray(this.#pos, end);
          this.#pos = end;
          return out;
        }
      }
      if (!(await this.#fill())) this.#malformed('The MTOM body ends before the closing boundary');
    }
  }

  /**
   * Like `readBody`, but gathers consecutive pieces (a copy) until at least `min` bytes or the end
   * of the part: network sources deliver 16 KiB TLS records, and each chunk handed downstream
   * costs stream, hash and write calls; a few hundred KiB per chunk make that overhead vanish.
   */
  async readBodyBlock(min: number): Promise<Buffer | undefined> {
    const first = await this.readBody();
    if (first === undefined || first.length >= min) return first;
    const pieces = [first];
    let size = first.length;
    while (size < min && this.#state === 'body' && !this.#partEnded) {
      const next = await this.readBody();
      if (next === undefined) break;
      pieces.push(next);
      size += next.length;
    }
    return pieces.length === 1 ? first : Buffer.concat(pieces, size);
  }

  /** Stops reading: lets the source clean up (destroys a stream source). */
  async cancel(): Promise<void> {
    this.#eof = true;
    this.#state = 'end';
    await this.#source.return?.();
  }
}
