import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest POST body the stub reads (forms of a few fields; a token is a few KiB). */
export const _MAX_BODY_BYTES = 32 * 1024;
/** Longest time a POST body may take, ms. */
const BODY_TIMEOUT_MS = 15_000;

/** A JSON reply, never cached. */
export function _json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify(body));
}

/** An OAuth error reply (RFC 6749 §5.2 shape). */
export function _oauthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  _json(res, status, { error, error_description: description }, headers);
}

/** Thrown by `_readForm`: the reply already fits (413, 400 or 408). */
export class _BodyRefused extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(error);
  }
}

/**
 * A form-encoded POST body, at most `_MAX_BODY_BYTES` (declared or received; more → 413 and
 * the connection is closed), within a total time bound; another content type → 400.
 */
export function _readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    return Promise.reject(new _BodyRefused(400, 'the body must be application/x-www-form-urlencoded'));
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > _MAX_BODY_BYTES) return Promise.reject(new _BodyRefused(413, 'request body too large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => fail(new _BodyRefused(408, 'request body not received in time')),
      BODY_TIMEOUT_MS,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      reject(e);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > _MAX_BODY_BYTES) fail(new _BodyRefused(413, 'request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', fail);
  });
}

/** The form of `req`, or undefined once a refused body was answered (`_readForm`, `_refuseBody`). */
export async function _formOrRefuse(
  req: IncomingMessage,
  res: ServerResponse,
): Promise<URLSearchParams | undefined> {
  try {
    return await _readForm(req);
  } catch (e) {
    if (e instanceof _BodyRefused) {
      _refuseBody(res, e);
      return undefined;
    }
    throw e;
  }
}

/** Answers a refused body; a too large or late one also closes the connection. */
export function _refuseBody(res: ServerResponse, e: _BodyRefused): void {
  res.shouldKeepAlive = false;
  _oauthError(res, e.status, 'invalid_request', e.message, e.status === 400 ? {} : { connection: 'close' });
}

const _formDecode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/** The HTTP Basic credentials (RFC 6749 §2.3.1: each part form-urlencoded), or undefined. */
export function _basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization ?? '';
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (m?.[1] === undefined) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const id = _formDecode(text.slice(0, colon));
  const secret = _formDecode(text.slice(colon + 1));
  return id === undefined || secret === undefined ? undefined : { id, secret };
}

/** Constant-time comparison of two secrets (of any length). */
export function _sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/** The bearer token of the Authorization header, or undefined. */
export function _bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec((req.headers.authorization ?? '').trim());
  return m?.[1];
}
