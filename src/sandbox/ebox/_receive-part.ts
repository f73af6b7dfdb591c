import { _DocumentSink, type _ReceivedDocument } from './_document-sink.ts';
import type { _Multipart } from './_multipart.ts';

/**
 * Streams the current part of `parts` to a temporary file under `dir` (hashing it on the way:
 * SHA-256, and SHA-512 when asked); the disk write paces the reading. On any failure the file
 * is removed and the error goes on.
 */
export async function _receivePart(
  parts: _Multipart,
  dir: string,
  options: { readonly sha512: boolean },
): Promise<_ReceivedDocument> {
  const sink = await _DocumentSink.create(dir, options);
  try {
    for (let c = await parts.readBody(); c !== undefined; c = await parts.readBody()) await sink.write(c);
    return await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
