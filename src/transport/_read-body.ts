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

/** Reads a response body into memory, stopping (and destroying the stream) past `limit` bytes. */
export async function _readBody(body: Readable, host: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw _tooLarge(host, limit);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}
