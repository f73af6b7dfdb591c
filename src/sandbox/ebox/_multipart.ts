import { PasserelleError } from '../../errors.ts';

export interface _MultipartLimits {
  /** Parts in the body, root included. */
  readonly maxParts: number;
  /** Bytes of one part's header block, of the preamble and of the epilogue. */
  readonly maxHeaderBytes: number;
  /** Bytes of the whole body as read. */
  readonly maxTotalBytes: number;
}

/** One part's header fields, names lower case, values trimmed (folded lines joined). */
export type _PartHeaders = ReadonlyMap<string, string>;

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const BOUNDARY = /^[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]$/;
const IDENTITY = new Set(['binary', '8bit', '7bit']);

/** ERR_EBOX_INVALID_INPUT for every framing problem; `reason` says which. */
function _bad(message: string, reason: string): never {
  throw new PasserelleError('ERR_EBOX_INVALID_INPUT', message, { details: { reason } });
}

function _parseHeaders(block: Buffer): _PartHeaders {
  const fields = new Map<string, string>();
  let current: [string, string] | undefined;
  const flush = () => {
    if (current === undefined) return;
    if (fields.has(current[0])) _bad('A part header is repeated', 'multipart-header');
    fields.set(current[0], current[1].trim());
  };
  for (const line of block.length === 0 ? [] : block.toString('latin1').split('\r\n')) {
    if (/[\r\n\0]/.test(line)) _bad('A part header holds a bare CR, LF or NUL', 'multipart-header');
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined) _bad('A part header block starts with a continuation', 'multipart-header');
      current[1] += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[!-9;-~]+$/.test(line.slice(0, colon)))
      _bad('Malformed part header', 'multipart-header');
    current = [line.slice(0, colon).toLowerCase(), line.slice(colon + 1)];
  }
  flush();
  const encoding = fields.get('content-transfer-encoding');
  if (encoding !== undefined && !IDENTITY.has(encoding.toLowerCase()))
    _bad('Only binary parts are accepted', 'multipart-encoding');
  if (/^\s*(multipart\/|message\/rfc822)/i.test(fields.get('content-type') ?? ''))
    _bad('Nested multiparts are refused', 'multipart-nested');
  return fields;
}

/**
 * A pull parser of a multipart body (RFC 2046 §5.1; SOAP with Attachments and form-data) over
 * an async source: nothing is read until asked for, so a slow consumer (a disk write) throttles
 * the sender, and memory stays at one source chunk plus a delimiter. Every framing problem or
 * bound is ERR_EBOX_INVALID_INPUT with `details.reason` (multipart-truncated, multipart-limit, …).
 */
export class _Multipart {
  readonly #source: AsyncIterator<unknown>;
  readonly #delimiter: Buffer;
  readonly #limits: _MultipartLimits;
  #buf: Buffer = CRLF;
  #pos = 0;
  #eof = false;
  #state: 'preamble' | 'after-delimiter' | 'body' | 'end' = 'preamble';
  #total = 0;
  #parts = 0;

  constructor(source: AsyncIterable<unknown>, boundary: string, limits: _MultipartLimits) {
    if (!BOUNDARY.test(boundary)) _bad('Missing or invalid multipart boundary', 'multipart-boundary');
    this.#source = source[Symbol.asyncIterator]();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
    this.#limits = limits;
  }

  /** True once the close delimiter was read and the source ended. */
  get finished(): boolean {
    return this.#state === 'end' && this.#eof;
  }

  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    const next = await this.#source.next();
    if (next.done) {
      this.#eof = true;
      return false;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    this.#total += chunk.length;
    if (this.#total > this.#limits.maxTotalBytes)
      _bad(`The body exceeds ${this.#limits.maxTotalBytes} bytes`, 'multipart-too-large');
    const rest = this.#buf.length - this.#pos;
    this.#buf = rest === 0 ? chunk : Buffer.concat([this.#buf.subarray(this.#pos), chunk]);
    this.#pos = 0;
    return true;
  }

  /** Length of the longest buffer suffix that starts the delimiter (kept for the next chunk). */
  #heldBack(): number {
    const { length } = this.#buf;
    const d = this.#delimiter;
    for (let i = Math.max(this.#pos, length - d.length + 1); i < length; i++) {
      if (this.#buf[i] === 0x0d && this.#buf.compare(d, 0, length - i, i) === 0) return length - i;
    }
    return 0;
  }

  async #skip(what: string): Promise<void> {
    let skipped = 0;
    for (;;) {
      const at = this.#buf.indexOf(this.#delimiter, this.#pos);
      const end = at >= 0 ? at : this.#buf.length - this.#heldBack();
      skipped += end - this.#pos;
      if (skipped > this.#limits.maxHeaderBytes) _bad(`The multipart ${what} is too long`, 'multipart-limit');
      if (at >= 0) {
        this.#pos = at + this.#delimiter.length;
        return;
      }
      this.#pos = end;
      if (!(await this.#fill())) _bad('The body holds no boundary delimiter', 'multipart-truncated');
    }
  }

  async #afterDelimiter(): Promise<void> {
    while (this.#buf.length - this.#pos < 2)
      if (!(await this.#fill())) _bad('The body ends inside a boundary line', 'multipart-truncated');
    if (this.#buf[this.#pos] === 0x2d && this.#buf[this.#pos + 1] === 0x2d) {
      this.#state = 'end';
      let size = this.#buf.length - this.#pos;
      this.#pos = this.#buf.length;
      while (await this.#fill()) {
        size += this.#buf.length - this.#pos;
        this.#pos = this.#buf.length;
        if (size > this.#limits.maxHeaderBytes) _bad('The multipart epilogue is too long', 'multipart-limit');
      }
      return;
    }
    let i = this.#pos;
    for (;;) {
      while (i >= this.#buf.length - 1) {
        const offset = i - this.#pos;
        if (!(await this.#fill())) _bad('The body ends inside a boundary line', 'multipart-truncated');
        i = this.#pos + offset;
      }
      if (this.#buf[i] === 0x0d && this.#buf[i + 1] === 0x0a) break;
      if ((this.#buf[i] !== 0x20 && this.#buf[i] !== 0x09) || i - this.#pos > 64)
        _bad('A boundary delimiter is followed by other data', 'multipart-framing');
      i++;
    }
    this.#pos = i;
    this.#state = 'body';
  }

  /**
   * Moves to the next part (the unread rest of the current one is skipped) and returns its
   * headers, or undefined after the close delimiter.
   */
  async nextPart(): Promise<_PartHeaders | undefined> {
    while (this.#state === 'body') await this.readBody();
    if (this.#state === 'preamble') {
      await this.#skip('preamble');
      this.#state = 'after-delimiter';
    }
    if (this.#state === 'after-delimiter') await this.#afterDelimiter();
    if (this.#state === 'end') return undefined;
    this.#parts += 1;
    if (this.#parts > this.#limits.maxParts)
      _bad(`The body has more than ${this.#limits.maxParts} parts`, 'multipart-limit');
    for (;;) {
      const at = this.#buf.indexOf(HEADER_END, this.#pos);
      if ((at >= 0 ? at : this.#buf.length) - this.#pos > this.#limits.maxHeaderBytes + 4)
        _bad('A part header block is too large', 'multipart-limit');
      if (at >= 0) {
        const block = at === this.#pos ? Buffer.alloc(0) : this.#buf.subarray(this.#pos + 2, at);
        this.#pos = at + HEADER_END.length;
        return _parseHeaders(block);
      }
      if (!(await this.#fill())) _bad('The body ends inside a part header block', 'multipart-truncated');
    }
  }

  /** The next chunk of the current part, or undefined at its end. */
  async readBody(): Promise<Buffer | undefined> {
    if (this.#state !== 'body') return undefined;
    for (;;) {
      const at = this.#buf.indexOf(this.#delimiter, this.#pos);
      if (at >= 0) {
        const out = this.#buf.subarray(this.#pos, at);
        this.#pos = at + this.#delimiter.length;
        this.#state = 'after-delimiter';
        return out.length > 0 ? out : undefined;
      }
      const end = this.#buf.length - this.#heldBack();
      if (end > this.#pos) {
        const out = this.#buf.subarray(this.#pos, end);
        this.#pos = end;
        return out;
      }
      if (!(await this.#fill())) _bad('The body ends before the closing boundary', 'multipart-truncated');
    }
  }

  /** Stops reading (the source is told, a stream source is destroyed). */
  async cancel(): Promise<void> {
    this.#eof = true;
    this.#state = 'end';
    await this.#source.return?.();
  }
}
