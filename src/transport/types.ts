import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

export interface PostOptions {
  /** Request headers (Content-Type, SOAPAction, Authorization, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A Readable body cannot be replayed: wrap the whole call in `withRetry` to re-create it. */
  readonly body: string | Buffer | Readable;
  readonly signal?: AbortSignal;
  /** Overrides the transport's `maxResponseBytes` for this call. */
  readonly maxResponseBytes?: number;
}

/** Any request: the method (default GET) and an optional body. */
export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  /** A Readable body cannot be replayed: wrap the whole call in `withRetry` to re-create it. */
  readonly body?: string | Buffer | Readable;
  readonly signal?: AbortSignal;
  /** Overrides the transport's `maxResponseBytes` for this call. */
  readonly maxResponseBytes?: number;
}

/** A buffered response. Any status is returned; mapping statuses to errors is the caller's job. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A streamed response: the caller must consume or destroy `body`. */
export interface TransportStreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Dispatcher.ResponseData['body'];
}

export interface Transport {
  /** Sends a request of any method and buffers the response (bounded by `maxResponseBytes`). */
  request(url: string | URL, options?: RequestOptions): Promise<TransportResponse>;
  /** Sends a request of any method and streams the response (see `postStream`). */
  requestStream(url: string | URL, options?: RequestOptions): Promise<TransportStreamResponse>;
  /** POSTs and buffers the response (bounded by `maxResponseBytes`). */
  post(url: string | URL, options: PostOptions): Promise<TransportResponse>;
  /**
   * POSTs and returns the response body as a stream (for large MTOM or file downloads). Only a
   * declared Content-Length is checked against the limit; the caller bounds what it reads.
   */
  postStream(url: string | URL, options: PostOptions): Promise<TransportStreamResponse>;
  /** Closes pooled connections; pending requests complete first. */
  close(): Promise<void>;
}
