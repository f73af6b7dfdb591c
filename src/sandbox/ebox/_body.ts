import type { IncomingMessage } from 'node:http';
import { isPasserelleError } from '../../errors.ts';
import { _parseMediaType } from '../../soap/mtom/content-type.ts';
import { _declaredLength, _guardRequestBody, _totalBoundMs } from '../_request-body.ts';
import { _Multipart, type _MultipartLimits } from './_multipart.ts';

/** The bounds of the eBox listeners' request bodies. */
export interface _BodyLimits extends _MultipartLimits {
  /** Bytes of the part read into memory (the SOAP envelope, the messageToPublish JSON). */
  readonly maxRootBytes: number;
  /** Longest pause between two body chunks, ms. */
  readonly idleMs: number;
  /** The slowest upload the total bound allows, bytes per second. */
  readonly minBytesPerSecond: number;
  /** Bytes of a refused body still read and dropped so that the client reads the answer. */
  readonly drainBytes: number;
}

/** A media type, or undefined when the header is absent or malformed. */
export function _mediaType(value: string | undefined) {
  try {
    return value === undefined ? undefined : _parseMediaType(value);
  } catch (error) {
    if (isPasserelleError(error)) return undefined;
    throw error;
  }
}

/** A multipart parser over the guarded request body (idle and total bounds, see _guardRequestBody). */
export function _multipartOf(req: IncomingMessage, boundary: string, limits: _BodyLimits): _Multipart {
  const size = _declaredLength(req) ?? limits.maxTotalBytes;
  const body = _guardRequestBody(req, {
    idleMs: limits.idleMs,
    totalMs: _totalBoundMs(size, limits.minBytesPerSecond, limits.idleMs),
  });
  return new _Multipart(body, boundary, limits);
}

/** Reads the current part into memory, at most `max` bytes; undefined past it. */
export async function _readPart(parts: _Multipart, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (let c = await parts.readBody(); c !== undefined; c = await parts.readBody()) {
    size += c.length;
    if (size > max) return undefined;
    chunks.push(c);
  }
  return Buffer.concat(chunks, size);
}

/**
 * After an answer written before the whole body was read: reads and drops at most `drainBytes`
 * more (each chunk within `idleMs`), so that a client still sending reads the answer; then the
 * connection closes. Settles when done (end the reply then).
 */
export function _drainRest(req: IncomingMessage, { drainBytes, idleMs }: _BodyLimits): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const stop = () => {
      clearTimeout(idle);
      resolve();
    };
    const cut = () => {
      stop();
      req.socket.destroy();
    };
    const idle = setTimeout(cut, idleMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      idle.refresh();
      if (size > drainBytes) cut();
    });
    req.once('end', stop);
    req.once('close', stop);
    req.on('error', stop);
    req.resume();
  });
}
