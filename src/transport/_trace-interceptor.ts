import { channel } from 'node:diagnostics_channel';
import type { Dispatcher } from 'undici';
import type { _TraceExchange } from './_trace-exchange.ts';

/** The fields of undici's internal Request that the trace reads (diagnostics channel messages). */
interface _UndiciRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly contentLength: number | null;
}

const EXPECTS_PAYLOAD = new Set(['PUT', 'POST', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);

/**
 * The framing line undici adds to the head it published (client-h1 `writeH1` / `writeBuffer` /
 * `AsyncWriter`): `content-length` for a buffer or a stream of known length, else
 * `transfer-encoding: chunked`; a body-less POST/PUT/PATCH gets `content-length: 0`. For a
 * stream it depends on whether any byte was written, hence a function of the bytes sent.
 */
function _framing(request: _UndiciRequest): (bytesOut: number) => string {
  const expects = EXPECTS_PAYLOAD.has(request.method);
  const body = request.body as { _readableState?: { objectMode: boolean; ended: boolean; length: number } };
  const empty = expects ? 'content-length: 0\r\n' : '';
  if (body === null || body === undefined) return () => empty;
  if (Buffer.isBuffer(body)) return () => (body.length === 0 ? empty : `content-length: ${body.length}\r\n`);
  const state = body._readableState;
  const known =
    state !== undefined && !state.objectMode && state.ended && Number.isFinite(state.length)
      ? state.length
      : null;
  let length = known ?? request.contentLength;
  if (length === 0 && !expects) length = null;
  return (bytesOut) =>
    bytesOut === 0
      ? empty
      : length === null
        ? 'transfer-encoding: chunked\r\n'
        : `content-length: ${length}\r\n`;
}

// undici publishes the head it is about to write right after it calls the handler's
// onRequestStart, synchronously (client-h1 writeH1): the exchange whose handler just started is
// the one the next head belongs to. Checked by method and path, and forgotten at the next
// microtask, so that an aborted start never claims another request's head.
let starting: _TraceExchange | undefined;
const byRequest = new WeakMap<object, _TraceExchange>();
const sendHeaders = channel('undici:client:sendHeaders');
const bodyChunkSent = channel('undici:request:bodyChunkSent');
let subscribed = false;

function _onSendHeaders(message: unknown): void {
  const exchange = starting;
  starting = undefined;
  if (exchange === undefined) return;
  const { request, headers } = message as { request: _UndiciRequest; headers: unknown };
  if (typeof headers !== 'string' || request.method !== exchange.method || request.path !== exchange.target)
    return;
  byRequest.set(request, exchange);
  exchange._headSent(headers, _framing(request));
}

function _onBodyChunkSent(message: unknown): void {
  const { request, chunk } = message as { request: object; chunk: unknown };
  const exchange = byRequest.get(request);
  if (exchange === undefined) return;
  exchange._bodySent(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
}

function _subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  sendHeaders.subscribe(_onSendHeaders);
  bodyChunkSent.subscribe(_onBodyChunkSent);
}

/** Passes every callback on to undici's handler, telling the exchange what went by first. */
class _TraceHandler implements Dispatcher.DispatchHandler {
  readonly #exchange: _TraceExchange;
  readonly #inner: Dispatcher.DispatchHandler;

  constructor(exchange: _TraceExchange, inner: Dispatcher.DispatchHandler) {
    this.#exchange = exchange;
    this.#inner = inner;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    const exchange = this.#exchange;
    starting = exchange;
    queueMicrotask(() => {
      if (starting === exchange) starting = undefined;
    });
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[2],
    socket: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>[3],
  ): void {
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>[2],
    statusMessage?: string,
  ): void {
    const raw = (controller as { rawHeaders?: Buffer[] | null }).rawHeaders ?? null;
    this.#exchange._responseStart(statusCode, statusMessage ?? '', raw);
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#exchange._responseData(chunk);
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(
    controller: Dispatcher.DispatchController,
    trailers: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>[1],
  ): void {
    this.#exchange._networkEnd();
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#exchange._networkEnd(error);
    this.#inner.onResponseError?.(controller, error);
  }
}

/**
 * The undici interceptor of one traced request: response head and body chunks through the
 * handler, the request head and body chunks as undici writes them (diagnostics channels
 * `undici:client:sendHeaders` and `undici:request:bodyChunkSent`, subscribed on first use).
 */
export function _traceInterceptor(exchange: _TraceExchange): Dispatcher.DispatcherComposeInterceptor {
  _subscribe();
  return (dispatch) => (opts, handler) => dispatch(opts, new _TraceHandler(exchange, handler));
}
