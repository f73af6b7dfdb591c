import type { Hash } from 'node:crypto';

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
/** Two base64 characters for each 12-bit value, as one little-endian 16-bit unit. */
const PAIRS = new Uint16Array(4096);
for (let i = 0; i < 4096; i++) PAIRS[i] = ALPHABET[i >> 6]! | (ALPHABET[i & 63]! << 8);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Input bytes encoded per step: 48 KiB in, 64 KiB out. */
const STEP = 48 * 1024;

/**
 * Feeds base64 (canonical form, no line breaks) of whole 3-byte groups into a hash through one
 * reusable output buffer: the hot path of the MTOM digest allocates nothing per chunk, so a
 * gigabyte flowing through it leaves no garbage strings for the collector (bounded RSS).
 */
export class _Base64Hasher {
  readonly #out = Buffer.allocUnsafe((STEP / 3) * 4);
  readonly #out16 = new Uint16Array(this.#out.buffer, this.#out.byteOffset, this.#out.length >> 1);

  /** `bytes.length` must be a multiple of 3. */
  update(hash: Hash, bytes: Uint8Array): void {
    if (!LITTLE_ENDIAN) {
      hash.update(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), 'latin1');
      return;
    }
    const out16 = this.#out16;
    for (let start = 0; start < bytes.length; start += STEP) {
      const end = Math.min(bytes.length, start + STEP);
      let o = 0;
      for (let i = start; i < end; i += 3) {
        const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
        out16[o++] = PAIRS[v >>> 12]!;
        out16[o++] = PAIRS[v & 4095]!;
      }
      hash.update(this.#out.subarray(0, o * 2));
    }
  }
}
