import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** A pass-through that counts bytes and computes their SHA-256, read once it has flushed. */
export function _sizeAndSha256(): { stream: Transform; result: () => { size: number; sha256: string } } {
  const hash = createHash('sha256');
  let size = 0;
  let sha256: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      hash.update(chunk);
      cb(null, chunk);
    },
    flush(cb) {
      sha256 = hash.digest('hex');
      cb();
    },
  });
  return {
    stream,
    result: () => {
      if (sha256 === undefined) throw new TypeError('the stream has not ended');
      return { size, sha256 };
    },
  };
}
