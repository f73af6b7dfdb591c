import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { PasserelleError } from '../../errors.ts';
import type { MtomAttachmentSource } from '../../soap/mtom/types.ts';
import type { EboxDigestAlgorithm } from './publication.ts';

const NODE_HASH: Readonly<Record<EboxDigestAlgorithm, string>> = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' };
/** One reusable read buffer for the digest pass: a large file leaves no garbage behind. */
const DIGEST_CHUNK = 1024 * 1024;
/** Bytes per read when the file is sent (Node's default, as the MTOM sender). */
const SEND_CHUNK = 64 * 1024;

/**
 * Documents up to this size are read into memory once: digested and sent from the same bytes
 * (a batch of 100 KB statements then opens each file once instead of twice). Larger ones are
 * streamed twice, the second pass checked against the first (`_checkedSource`).
 */
export const _IN_MEMORY_MAX = 512 * 1024;

/**
 * The size and base64 digest of a file, read once through one reusable buffer; with `bytes`
 * when the file is at most _IN_MEMORY_MAX bytes (then send those bytes, not the file again).
 */
export async function _fileDigest(
  path: string,
  algorithm: EboxDigestAlgorithm,
): Promise<{ size: number; digest: string; bytes?: Buffer }> {
  const hash = createHash(NODE_HASH[algorithm]);
  const handle = await open(path, 'r');
  let size = 0;
  try {
    if ((await handle.stat()).size <= _IN_MEMORY_MAX) {
      const bytes = await handle.readFile();
      if (bytes.length <= _IN_MEMORY_MAX)
        return { size: bytes.length, digest: hash.update(bytes).digest('base64'), bytes };
      // It grew between stat and read: hash what was read, then go on streaming.
      size = bytes.length;
      hash.update(bytes);
    }
    const buffer = Buffer.allocUnsafe(DIGEST_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return { size, digest: hash.digest('base64') };
}

export interface _CheckedSource {
  readonly source: MtomAttachmentSource;
  /** The ERR_EBOX_DIGEST_MISMATCH raised while sending, if the file changed. */
  failure(): PasserelleError | undefined;
}

/**
 * The file as an attachment source that hashes its bytes again while they are sent and fails the
 * stream (so the request is cut before its closing delimiter) when they no longer match the
 * digest or size put in the signed request: ERR_EBOX_DIGEST_MISMATCH, origin client.
 */
export function _checkedSource(
  path: string,
  expected: { readonly size: number; readonly digest: string; readonly algorithm: EboxDigestAlgorithm },
  onProgress?: (bytes: number) => void,
): _CheckedSource {
  let failure: PasserelleError | undefined;
  const open = (): Readable => {
    const hash = createHash(NODE_HASH[expected.algorithm]);
    let size = 0;
    const fail = (why: string) => {
      failure = new PasserelleError(
        'ERR_EBOX_DIGEST_MISMATCH',
        `The document ${path} changed while it was sent (${why}); the publication was cut off`,
        { details: { origin: 'client', path, expectedSize: expected.size, size } },
      );
      return failure;
    };
    const check = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        size += chunk.length;
        if (size > expected.size) return next(fail('it grew'));
        hash.update(chunk);
        onProgress?.(chunk.length);
        next(null, chunk);
      },
      flush(next) {
        if (size !== expected.size) return next(fail('its size changed'));
        if (hash.digest('base64') !== expected.digest) return next(fail('its digest changed'));
        next();
      },
    });
    return pipeline(createReadStream(path, { highWaterMark: SEND_CHUNK }), check, () => {});
  };
  return { source: { open, size: expected.size }, failure: () => failure };
}

/** Bytes already read (and digested) as an attachment source, reported as they are sent. */
export function _memorySource(bytes: Buffer, onProgress?: (bytes: number) => void): MtomAttachmentSource {
  if (onProgress === undefined) return { data: bytes };
  const open = (): Readable => {
    let at = 0;
    return new Readable({
      read() {
        if (at >= bytes.length) return void this.push(null);
        const chunk = bytes.subarray(at, at + SEND_CHUNK);
        at += chunk.length;
        onProgress(chunk.length);
        this.push(chunk);
      },
    });
  };
  return { open, size: bytes.length };
}
