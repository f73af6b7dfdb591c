/**
 * A minimal strict DER reader and writer (X.690 §8.1, §10.1): definite lengths in their shortest
 * form, one-byte tags (all CMS needs), nothing after the value. Used to find the exact bytes of
 * the signed attributes and of the embedded certificates, which must be verified as received,
 * never as a library re-encodes them. Structural problems throw DerError.
 */
export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface Tlv {
  readonly tag: number;
  /** Offsets into the buffer given to readTlv: start of the tag, of the content, end of the value. */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads one TLV at `offset`, ending no later than `limit`. */
export function readTlv(buf: Uint8Array, offset = 0, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used by CMS');
  const first = buf[offset + 1]!;
  let length = first;
  let contentStart = offset + 2;
  if (first === 0x80) throw new DerError('indefinite length (BER, not DER)');
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw new DerError('length too large');
    if (contentStart + n > limit) throw new DerError('truncated length');
    if (buf[contentStart] === 0) throw new DerError('length not in its shortest form');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[contentStart + i]!;
    if (length < 0x80) throw new DerError('length not in its shortest form');
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('value longer than its container (truncated)');
  return { tag, start: offset, contentStart, end };
}

/** Reads the single TLV that fills `buf` exactly (no trailing bytes). */
export function readWhole(buf: Uint8Array): Tlv {
  const tlv = readTlv(buf);
  if (tlv.end !== buf.length) throw new DerError(`${buf.length - tlv.end} trailing byte(s) after the value`);
  return tlv;
}

/** The TLVs inside a constructed value, which they must fill exactly. */
export function childrenOf(buf: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('expected a constructed value');
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readTlv(buf, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** Encodes a TLV with a one-byte tag. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), content]);
}

/** A DER SET OF: the encoded elements sorted as octet strings (X.690 §11.6). */
export function setOf(elements: readonly Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat([...elements].sort((a, b) => Buffer.compare(a, b))));
}
