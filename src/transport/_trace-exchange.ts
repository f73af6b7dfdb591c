import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { PasserelleError } from '../errors.ts';
import { _BodyRecord, type _BodySummary } from './_trace-body.ts';
import { _createDir, _exchangeFolderName, _writeFile } from './_trace-files.ts';
import { _rebuiltRequestHead, _responseHead, _sentRequestHead } from './_trace-heads.ts';
import { _redactTarget } from './_trace-redact.ts';
import { _requestSigner, _SIGNER_SCAN_BYTES } from './_trace-signer.ts';
import { _recorderStates } from './_trace-state.ts';
import type { TraceExchange, TraceRecorder, TraceRedaction } from './trace-types.ts';

export interface _ExchangeInit {
  readonly method: string;
  readonly url: URL;
  /** The headers handed to undici (user-agent included). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | Readable | undefined;
  /** The transport's error mapping (undici / TLS errors → PasserelleError). */
  readonly mapError: (error: unknown) => unknown;
}

function _headerValue(headers: Readonly<Record<string, string>>, name: string): string {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return '';
}

function _rawHeaderValue(raw: readonly Buffer[], name: string): string {
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (raw[i]!.toString('latin1').toLowerCase() === name) return raw[i + 1]!.toString('latin1');
  return '';
}

/** The error of an exchange as exchange.json and the summary show it: a code and a safe message. */
function _errorSummary(error: unknown): { code: string; message: string } {
  if (error instanceof PasserelleError) return { code: error.code, message: error.message };
  return { code: 'ABORTED', message: 'The request was aborted before it completed' };
}

/**
 * One traced HTTP exchange: a numbered folder (0700) with request.http, the request body,
 * response.http, the response body, the parts of multipart bodies and exchange.json, all 0600.
 * Fed by the trace interceptor (what undici sends and receives) and by the transport (when its
 * caller is done, and why it failed). It is written out once both the network side is over
 * (response complete, or failed) and the transport has released it.
 */
export class _TraceExchange {
  readonly method: string;
  /** The request target (path and query) as undici sends it. */
  readonly target: string;
  readonly #init: _ExchangeInit;
  readonly #recorder: TraceRecorder;
  readonly #folder: string | undefined;
  readonly #seq: number;
  readonly #started = performance.now();
  readonly #startedAt: string;
  readonly #requestBody: _BodyRecord | undefined;
  /** Whether the request body file is fed by sent chunks (a stream) or was written at once. */
  readonly #streamedBody: boolean;
  #head: string | undefined;
  #framing: ((bytesOut: number) => string) | undefined;
  #bytesOut = 0;
  #response: { status: number; statusText: string; raw: Buffer[] } | undefined;
  #headersMs: number | undefined;
  #responseBody: _BodyRecord | undefined;
  #networkDone = false;
  #released = false;
  #networkError: unknown;
  #error: unknown;
  #finished = false;
  #failure: unknown;

  constructor(recorder: TraceRecorder, init: _ExchangeInit) {
    const state = _recorderStates.get(recorder)!;
    this.#recorder = recorder;
    this.#init = init;
    this.method = init.method;
    this.target = `${init.url.pathname}${init.url.search}`;
    this.#startedAt = new Date(state.clock.now()).toISOString();
    let seq = state.next;
    let folder: string | undefined;
    try {
      for (;;) {
        const candidate = join(state.dir, _exchangeFolderName(seq, init.method, init.url));
        if (_createDir(candidate)) {
          folder = candidate;
          break;
        }
        seq += 1;
      }
    } catch (error) {
      this.#failure = error;
    }
    state.next = seq + 1;
    this.#seq = seq;
    this.#folder = folder;
    const body = init.body;
    this.#streamedBody = body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body);
    if (folder !== undefined && body !== undefined) {
      this.#requestBody = new _BodyRecord(
        folder,
        'request',
        _headerValue(init.headers, 'content-type'),
        _SIGNER_SCAN_BYTES,
      );
      if (!this.#streamedBody) this.#requestBody.write(Buffer.from(body as string | Buffer));
    }
  }

  /** undici wrote the request head: `head` without the framing line and the blank line. */
  _headSent(head: string, framing: (bytesOut: number) => string): void {
    this.#head = head;
    this.#framing = framing;
  }

  /** undici wrote a body chunk. */
  _bodySent(chunk: Buffer): void {
    this.#bytesOut += chunk.length;
    if (this.#streamedBody) this.#requestBody?.write(chunk);
  }

  _responseStart(status: number, statusText: string, raw: readonly Buffer[] | null): void {
    if (this.#finished) return;
    this.#response = { status, statusText, raw: [...(raw ?? [])] };
    this.#headersMs = performance.now() - this.#started;
    if (this.#folder !== undefined && this.#responseBody === undefined) {
      this.#responseBody = new _BodyRecord(
        this.#folder,
        'response',
        _rawHeaderValue(this.#response.raw, 'content-type'),
      );
    }
  }

  _responseData(chunk: Buffer): void {
    if (!this.#finished) this.#responseBody?.write(chunk);
  }

  _networkEnd(error?: unknown): void {
    if (this.#networkDone) return;
    this.#networkDone = true;
    this.#networkError = error;
    if (this.#released) this.#finish();
  }

  /**
   * The transport is done with the exchange: for a buffered call once the body is read, for a
   * stream once the response headers are handed over; `error` is what the caller gets. A failure
   * ends the exchange now (nothing more comes from the network that matters).
   */
  _release(error?: unknown): void {
    if (this.#released) return;
    this.#released = true;
    this.#error = error;
    if (error !== undefined) this.#networkDone = true;
    if (this.#networkDone) this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const ms = Math.round(performance.now() - this.#started);
    const state = _recorderStates.get(this.#recorder)!;
    const error =
      this.#error ?? (this.#networkError === undefined ? undefined : this.#init.mapError(this.#networkError));
    const request = this.#requestBody?.close() ?? _NO_BODY;
    const response = this.#responseBody?.close() ?? _NO_BODY;
    const { url } = this.#init;
    const target = _redactTarget(this.target);
    const requestHead =
      this.#head === undefined
        ? _rebuiltRequestHead(this.method, target.target, url.host, this.#init.headers)
        : _sentRequestHead(this.#head, target.target, this.#framing?.(this.#bytesOut) ?? '');
    const r = this.#response;
    const responseHead = r === undefined ? undefined : _responseHead(r.status, r.statusText, r.raw);
    const redactions = [
      ..._count('request.http', [...target.kinds, ...requestHead.kinds]),
      ..._count('request.body', request.redactions),
      ..._count('response.http', responseHead?.kinds ?? []),
      ..._count('response.body', response.redactions),
    ];
    const signer = _requestSigner(this.#requestBody?.prefix ?? Buffer.alloc(0)) ?? null;
    const errorSummary = error === undefined ? null : _errorSummary(error);
    const exact = request.exact && response.exact;
    const folder = this.#folder;
    if (folder !== undefined) {
      this.#write(join(folder, 'request.http'), requestHead.head);
      if (responseHead !== undefined) this.#write(join(folder, 'response.http'), responseHead.head);
      const record = {
        seq: this.#seq,
        method: this.method,
        url: `${url.origin}${target.target}`,
        startedAt: this.#startedAt,
        ms,
        headersMs: this.#headersMs === undefined ? null : Math.round(this.#headersMs),
        status: r?.status ?? null,
        statusText: r?.statusText ?? null,
        error: errorSummary,
        signer,
        exact,
        request: {
          head: 'request.http',
          headSent: this.#head !== undefined,
          bytes: this.#bytesOut,
          ..._bodyJson(request),
        },
        response:
          r === undefined ? null : { head: 'response.http', bytes: response.bytes, ..._bodyJson(response) },
        redactions,
        traceError: this.#traceError(),
      };
      this.#write(join(folder, 'exchange.json'), `${JSON.stringify(record, null, 2)}\n`);
    }
    const summary: TraceExchange = Object.freeze({
      seq: this.#seq,
      folder: folder ?? join(state.dir, _exchangeFolderName(this.#seq, this.method, url)),
      method: this.method,
      url: `${url.origin}${target.target}`,
      host: url.host,
      path: url.pathname,
      status: r?.status ?? null,
      bytesOut: this.#bytesOut,
      bytesIn: response.bytes,
      ms,
      signer,
      error: errorSummary,
      exact,
      redactions,
      traceError: this.#traceError(),
    });
    state.done.push(summary);
    try {
      state.onExchange?.(summary);
    } catch {
      // a reporting callback never breaks the exchange
    }
  }

  #traceError(): string | null {
    const failure = this.#failure ?? this.#requestBody?.failure ?? this.#responseBody?.failure;
    if (failure === undefined) return null;
    const code = (failure as NodeJS.ErrnoException)?.code;
    return `trace files could not be written (${typeof code === 'string' ? code : 'error'})`;
  }

  #write(path: string, data: string): void {
    try {
      _writeFile(path, data);
    } catch (error) {
      this.#failure ??= error;
    }
  }
}

const _NO_BODY: _BodySummary = {
  file: null,
  contentType: null,
  bytes: 0,
  exact: true,
  redactions: [],
  parts: [],
};

/** One entry per kind, with its count. */
function _count(where: TraceRedaction['in'], kinds: readonly string[]): TraceRedaction[] {
  return [...new Set(kinds)].map((kind) => ({
    in: where,
    kind,
    count: kinds.filter((k) => k === kind).length,
  }));
}

function _bodyJson(body: _BodySummary) {
  return {
    body: body.file,
    contentType: body.contentType,
    exact: body.exact,
    ...(body.parts.length === 0 ? {} : { parts: body.parts }),
  };
}
