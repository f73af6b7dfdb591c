import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Bytes per chunk: 256 KiB keeps the per-chunk cost (cipher, stream and TLS write calls) small. */
const CHUNK = 256 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

/**
 * The deterministic content of the sandbox's MTOM download: `size` bytes of the AES-256-CTR
 * keystream keyed by SHA-256("passerelle-mtom:" + seed). Both sides can produce it as a stream
 * (fast, constant memory), so a client checks a download of any size against what it expects.
 */
export function generatedContent(seed: string, size: number): Readable {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new TypeError('generatedContent: size must be a non-negative integer');
  const key = createHash('sha256').update(`passerelle-mtom:${seed}`, 'utf8').digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  let left = size;
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left);
      left -= n;
      this.push(cipher.update(n === CHUNK ? ZEROS : ZEROS.subarray(0, n)));
    },
  });
}
