import type { IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';
import { PasserelleError } from '../errors.ts';

/** How long a listener waits for a request body, and how much of a refused one it still reads. */
export interface RequestBodyLimits {
  /** Largest body accepted, bytes. */
  readonly maxBytes: number;
  /** Longest pause between two body chunks while the sandbox waits for them, ms. */
  readonly idleMs: number;
  /** Longest time the whole body may take, ms from the call. */
  readonly totalMs: number;
  /**
   * After a refusal for size, bytes still read and dropped so that a client that writes its
   * whole request before reading (python http.client, zeep) gets the fault instead of a broken
   * pipe. Past `drainBytes` more, or after `idleMs` without a byte, the socket is closed.
   */
  readonly drainBytes: number;
}

/** The declared Content-Length, or undefined (chunked, absent or unparsable). */
export function _declaredLength(req: IncomingMessage): number | undefined {
  const text = req.headers['content-length'];
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function _tooLarge(maxBytes: number, declared: number | undefined): PasserelleError {
  return new PasserelleError('ERR_SANDBOX_REQUEST_TOO_LARGE', `request body larger than ${maxBytes} bytes`, {
    details: { maxBytes, ...(declared === undefined ? {} : { declared }) },
  });
}

/** The timeout refusal; `timeout` says which bound: `body-idle` or `total`. */
export function _timedOut(timeout: 'body-idle' | 'total', ms: number, received: number): PasserelleError {
  return new PasserelleError(
    'ERR_SANDBOX_REQUEST_TIMEOUT',
    timeout === 'body-idle'
      ? `no request body byte for ${ms} ms (after ${received} bytes)`
      : `request body not complete after ${ms} ms (${received} bytes)`,
    { details: { timeout, ms, received } },
  );
}

/** The client closed the connection before the end of its request body. */
export function _aborted(received: number): PasserelleError {
  return new PasserelleError(
    'ERR_SANDBOX_REQUEST_ABORTED',
    `the client closed the connection after ${received} body bytes`,
    { details: { received } },
  );
}

/**
 * Reads the rest of a refused body and drops it, bounded by `drainBytes` more bytes, by
 * `idleMs` between chunks and by `totalMs` in all; past any bound the socket is closed. The fault already sent then
 * reaches clients that only read once they have written everything.
 */
function _drain(req: IncomingMessage, { drainBytes, idleMs, totalMs }: RequestBodyLimits): void {
  let size = 0;
  const drained = new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(idle);
      clearTimeout(total);
      resolve();
    };
    const cut = () => {
      stop();
      req.socket.destroy();
    };
    const idle = setTimeout(cut, idleMs);
    const total = setTimeout(cut, totalMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      idle.refresh();
      if (size > drainBytes) cut();
    });
    req.once('end', stop);
    req.once('close', stop);
    req.on('error', stop);
  });
  DRAINS.set(req, drained);
  req.resume();
}

const DRAINS = new WeakMap<IncomingMessage, Promise<void>>();

/**
 * Settles when the refused body of `req` has been drained (or its socket closed); undefined if
 * nothing is being drained. End the reply only then: `connection: close` makes Node close the
 * socket as soon as the reply ends, which would cut the drain short.
 */
export function _drainOf(req: IncomingMessage): Promise<void> | undefined {
  return DRAINS.get(req);
}

/**
 * When the request declares a body over `maxBytes`: starts draining it (see `drainBytes`) and
 * returns the refusal, ERR_SANDBOX_REQUEST_TOO_LARGE, for the caller to answer; else undefined.
 */
export function _refuseDeclared(
  req: IncomingMessage,
  limits: RequestBodyLimits,
): PasserelleError | undefined {
  const declared = _declaredLength(req);
  if (declared === undefined || declared <= limits.maxBytes) return undefined;
  _drain(req, limits);
  return _tooLarge(limits.maxBytes, declared);
}

/**
 * Reads a request body of at most `maxBytes`, or rejects with ERR_SANDBOX_REQUEST_TOO_LARGE
 * (a declared or received size over the limit; the rest is drained, see `drainBytes`),
 * ERR_SANDBOX_REQUEST_TIMEOUT (`idleMs` without a byte, or `totalMs` in all; the caller answers
 * and closes) or ERR_SANDBOX_REQUEST_ABORTED (the client went away).
 */
export function _readRequestBody(req: IncomingMessage, limits: RequestBodyLimits): Promise<Buffer> {
  const { maxBytes, idleMs, totalMs } = limits;
  const refused = _refuseDeclared(req, limits);
  if (refused) return Promise.reject(refused);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: PasserelleError | undefined) => {
      clearTimeout(idle);
      clearTimeout(total);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks));
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      idle.refresh();
      if (size > maxBytes) {
        settle(_tooLarge(maxBytes, _declaredLength(req)));
        _drain(req, limits);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(undefined);
    const onClose = () => settle(_aborted(size));
    const idle = setTimeout(() => settle(_timedOut('body-idle', idleMs, size)), idleMs);
    const total = setTimeout(() => settle(_timedOut('total', totalMs, size)), totalMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    // 'error' (ECONNRESET) is followed by 'close'; this listener only keeps it from being thrown.
    req.on('error', () => {});
  });
}

/**
 * The request body as a stream that fails with ERR_SANDBOX_REQUEST_TIMEOUT when the client
 * sends nothing for `idleMs` while the sandbox waits for data (time spent with data still
 * buffered, i.e. waiting on the sandbox's own consumer, does not count), or when the whole
 * body takes more than `totalMs`; and with ERR_SANDBOX_REQUEST_ABORTED when the client goes
 * away. After a timeout the socket is closed `idleMs` later if the caller has not answered.
 */
export function _guardRequestBody(
  req: IncomingMessage,
  { idleMs, totalMs }: Pick<RequestBodyLimits, 'idleMs' | 'totalMs'>,
): Readable {
  let size = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      idle.refresh();
      callback(null, chunk);
    },
    flush(callback) {
      stop();
      callback();
    },
  });
  const fail = (error: PasserelleError) => {
    stop();
    if (guard.destroyed) return;
    guard.destroy(error);
    req.unpipe(guard);
    if (error.code === 'ERR_SANDBOX_REQUEST_TIMEOUT') {
      const socket = req.socket;
      const backstop = setTimeout(() => socket.destroy(), idleMs);
      socket.once('close', () => clearTimeout(backstop));
    }
  };
  const idle = setTimeout(function onIdle() {
    // Data waiting in the guard: the sandbox is the slow side, not the client.
    if (guard.readableLength > 0 || guard.writableLength > 0) {
      idle.refresh();
      return;
    }
    fail(_timedOut('body-idle', idleMs, size));
  }, idleMs);
  const total = setTimeout(() => fail(_timedOut('total', totalMs, size)), totalMs);
  const stop = () => {
    clearTimeout(idle);
    clearTimeout(total);
  };
  req.on('error', () => {});
  req.once('close', () => {
    if (!req.complete) fail(_aborted(size));
  });
  guard.on('error', () => {});
  guard.once('close', stop);
  req.pipe(guard);
  return guard;
}

/** The total bound of a body of `bytes` at `minBytesPerSecond`, plus one idle period; ms, capped. */
export function _totalBoundMs(bytes: number, minBytesPerSecond: number, idleMs: number): number {
  return Math.min(idleMs + Math.ceil((bytes / minBytesPerSecond) * 1000), 2 ** 31 - 1);
}
