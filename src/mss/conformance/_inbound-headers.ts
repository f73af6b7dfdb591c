/**
 * The header block of a message received by the application's SMTP receiver (RFC 5322 §2.2):
 * collected from the DATA stream up to a bound, then split into fields, unfolded (§2.2.3),
 * names lowercased, the first occurrence of each name kept.
 */

/** Header bytes kept per message; a longer block is cut at its last complete line. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Fields kept per message. */
const MAX_FIELDS = 500;
const FIELD_NAME = /^[!-9;-~]+$/;

/** Accumulates the start of a DATA stream until the empty line that ends the header block. */
export class HeaderCollector {
  #chunks: Buffer[] = [];
  #length = 0;
  #done = false;

  /** Feeds one chunk of the message (dot-unstuffed, as smtp-server gives it). */
  push(chunk: Buffer): void {
    if (this.#done) return;
    const room = MAX_HEADER_BYTES - this.#length;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(part);
    this.#length += part.length;
    if (this.#length >= MAX_HEADER_BYTES) this.#done = true;
    // The end of the block may straddle two chunks: look again in the tail.
    const joined = Buffer.concat(this.#chunks);
    this.#chunks = [joined];
    if (endOfHeaders(joined) >= 0) this.#done = true;
  }

  headers(): Record<string, string> {
    return parseHeaderBlock(Buffer.concat(this.#chunks));
  }
}

/** Index of the end of the header block (the empty line), or -1. */
function endOfHeaders(data: Buffer): number {
  if (data[0] === 0x0a || (data[0] === 0x0d && data[1] === 0x0a)) return 0;
  const crlf = data.indexOf('\r\n\r\n');
  const lf = data.indexOf('\n\n');
  if (crlf < 0) return lf;
  if (lf < 0) return crlf;
  return Math.min(crlf, lf);
}

/**
 * Fields of the header block at the start of `data` (lowercase name → unfolded, trimmed value,
 * first occurrence). Without the empty line that ends the block, only complete lines count.
 */
export function parseHeaderBlock(data: Buffer): Record<string, string> {
  const end = endOfHeaders(data);
  let text = data.toString('utf8', 0, end >= 0 ? end : data.length);
  if (end < 0) {
    const lastNewline = text.lastIndexOf('\n');
    text = lastNewline >= 0 ? text.slice(0, lastNewline) : '';
  }
  const fields: [string, string][] = [];
  let previous: [string, string] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if (line[0] === ' ' || line[0] === '\t') {
      // A folded line: unfolding removes the line break only (RFC 5322 §2.2.3).
      if (previous) previous[1] += line;
      continue;
    }
    previous = undefined;
    if (fields.length >= MAX_FIELDS) break;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
    // A line that is no field (no colon, bad name) is skipped, not guessed at.
    if (!FIELD_NAME.test(name)) continue;
    previous = [name.toLowerCase(), line.slice(colon + 1)];
    fields.push(previous);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of fields) {
    // defineProperty: a field named `__proto__` is data, not the object's prototype.
    if (!Object.hasOwn(headers, name))
      Object.defineProperty(headers, name, {
        value: value.trim(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return headers;
}
