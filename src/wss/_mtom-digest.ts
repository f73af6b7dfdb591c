import { createHash, type Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import { PasserelleError } from '../errors.ts';
import type { XopInclude } from '../soap/mtom/xop.ts';
import { excC14n } from '../xml/c14n.ts';
import type { Element } from '../xml/node.ts';
import { _hashBase64, _hashBase64Lines } from './_base64-hash.ts';

/**
 * How an attachment's bytes are written as base64 text in the XOP-expanded form that the Body
 * digest covers. `canonical`: the canonical lexical form of xs:base64Binary, no line breaks
 * (XOP 1.0 §1; WSS4J with org.apache.xml.security.ignoreLineBreaks=true). `mime76`: lines of 76
 * characters separated by CRLF (WSS4J's default, Java's MIME encoder); in canonical XML each CR
 * is written `&#xD;`.
 */
export type XopBase64Form = 'canonical' | 'mime76';

/** Can never occur in parsed XML text (NUL is not an XML character): marks where an xop:Include was. */
const MARK = '\u0000';

/**
 * The exclusive-c14n form of `body` with each xop:Include replaced by a mark, split at the marks:
 * segments[0], base64(attachment 1), segments[1], ... is the canonical XOP-expanded Body. The DOM
 * is restored before returning.
 */
export function _expandedBodySegments(
  body: Element,
  includes: readonly XopInclude[],
  prefixes: readonly string[],
): string[] {
  const doc = body.ownerDocument!;
  const marks = includes.map(({ element }) => {
    const mark = doc.createTextNode(MARK);
    element.parentNode!.replaceChild(mark, element);
    return mark;
  });
  let canonical: string;
  try {
    canonical = excC14n(body, { inclusivePrefixes: prefixes });
  } finally {
    for (const [i, mark] of marks.entries()) mark.parentNode!.replaceChild(includes[i]!.element, mark);
  }
  const segments = canonical.split(MARK);
  if (segments.length !== includes.length + 1) {
    throw new PasserelleError('ERR_WSS_MALFORMED', 'The Body holds a NUL character reference');
  }
  return segments;
}

/**
 * The digest of the XOP-expanded Body computed as a stream: the canonical text around the
 * includes is hashed as is, each attachment's bytes are base64-encoded chunk by chunk into the
 * hash. Attachments must be fed in document order, each to its end.
 */
export class _XopBodyDigest {
  readonly #hash: Hash;
  readonly #segments: readonly string[];
  readonly #form: XopBase64Form;
  /** Bytes encoded as a unit: 3 (one base64 quantum) or 57 (one 76-character MIME line). */
  readonly #group: number;
  #next = 0;
  #open = false;
  /** The bytes of an incomplete group held between chunks (reused: nothing allocated per chunk). */
  readonly #carry = Buffer.allocUnsafe(57);
  #carried = 0;
  #lines = 0;

  constructor(hashName: string, segments: readonly string[], form: XopBase64Form) {
    this.#hash = createHash(hashName);
    this.#segments = segments;
    this.#form = form;
    this.#group = form === 'canonical' ? 3 : 57;
    this.#hash.update(segments[0]!, 'utf8');
  }

  get attachments(): number {
    return this.#segments.length - 1;
  }

  /** Starts attachment `index` (must be the next one in document order). */
  begin(index: number): void {
    if (this.#open || index !== this.#next || index >= this.attachments)
      throw new TypeError('XOP attachments must be digested one at a time, in document order');
    this.#open = true;
    this.#carried = 0;
    this.#lines = 0;
  }

  /** Feeds the next bytes of the open attachment (hashed before returning: `chunk` may be reused). */
  update(chunk: Uint8Array): void {
    if (!this.#open) throw new TypeError('XOP digest: no attachment is open');
    const group = this.#group;
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#carried > 0) {
      const n = Math.min(group - this.#carried, data.length);
      data.copy(this.#carry, this.#carried, 0, n);
      this.#carried += n;
      if (this.#carried < group) return;
      this.#emit(this.#carry.subarray(0, group));
      this.#carried = 0;
      data = data.subarray(n);
    }
    const whole = data.length - (data.length % group);
    if (whole > 0) this.#emit(whole === data.length ? data : data.subarray(0, whole));
    if (whole < data.length) this.#carried = data.copy(this.#carry, 0, whole);
  }

  /** Ends the open attachment: the last base64 quantum (with padding), then the next canonical segment. */
  end(): void {
    if (!this.#open) throw new TypeError('XOP digest: no attachment is open');
    if (this.#carried > 0) this.#emit(this.#carry.subarray(0, this.#carried));
    this.#carried = 0;
    this.#open = false;
    this.#next += 1;
    this.#hash.update(this.#segments[this.#next]!, 'utf8');
  }

  /** The final digest; every attachment must have been fed. */
  digest(): Buffer {
    if (this.#open || this.#next !== this.attachments)
      throw new TypeError('XOP digest: not every attachment was digested');
    return this.#hash.digest();
  }

  /** Whole groups, or the final partial one (padded). */
  #emit(bytes: Buffer): void {
    if (this.#form === 'canonical') _hashBase64(this.#hash, bytes);
    else this.#lines = _hashBase64Lines(this.#hash, bytes, this.#lines);
  }

  /** A pass-through stream feeding attachment `index` to the digest as it flows. */
  transform(index: number, onEnd?: () => void): Transform {
    this.begin(index);
    return new Transform({
      transform: (chunk: Buffer, _enc, callback) => {
        try {
          this.update(chunk);
        } catch (error) {
          callback(error as Error);
          return;
        }
        callback(null, chunk);
      },
      flush: (callback) => {
        try {
          this.end();
          onEnd?.();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      },
    });
  }
}
