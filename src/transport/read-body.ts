import type { Readable } from 'node:stream';
import { PasserelleError } from '../errors.ts';

function _tooLarge(host: string, limit: number): PasserelleError {
  return new PasserelleError(
    'ERR_TRANSPORT_BODY_TOO_LARGE',
    `The response from ${host} exceeds ${limit} bytes`,
    {
      hint: 'Raise maxResponseBytes if such a response is expected, or use the streaming variant.',
      details: { host, limit },
    },
  );
}

/** Fails early on a declared Content-Length above the limit. */
export function _checkDeclaredLength(
  header: string | string[] | undefined,
  host: string,
  limit: number,
): void {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && /^\d+$/.test(value) && Number(value) > limit) throw _tooLarge(host, limit);
}

/**
 * Reads a body into memory up to `limit` bytes. Past it, reading stops and the stream is
 * destroyed: `complete` is false and `bytes` holds what came up to the limit.
 */
export async function _readUpTo(
  body: AsyncIterable<unknown> & { destroy(): unknown },
  limit: number,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (size + buffer.length > limit) {
      chunks.push(buffer.subarray(0, limit - size));
      body.destroy();
      return { bytes: Buffer.concat(chunks, limit), complete: false };
    }
    size += buffer.length;
    chunks.push(buffer);
  }
  return { bytes: Buffer.concat(chunks, size), complete: true };
}

/** Reads a response body into memory; past `limit` bytes, ERR_TRANSPORT_BODY_TOO_LARGE. */
export async function _readBody(body: Readable, host: string, limit: number): Promise<Buffer> {
  const { bytes, complete } = await _readUpTo(body, limit);
  if (!complete) throw _tooLarge(host, limit);
  return bytes;
}
