import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { AccessToken } from '../oauth/types.ts';

/** Where bearer tokens come from: an OAuthClient, or anything with the same two methods. */
export interface TokenSource {
  getToken(options?: { scope?: string }): Promise<AccessToken>;
  /** Called once when the API answers 401 invalid_token for this token. */
  invalidate(token: AccessToken, options?: { scope?: string }): void;
}

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface RestRequestOptions {
  /** The API name that replaces `{api}` in the base URL (e.g. `demo`). */
  readonly api: string;
  readonly method?: RestMethod;
  /** Query parameters; an array repeats the name. */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body (sent as application/json). */
  readonly json?: unknown;
  /** A body of another type (multipart, form, bytes), sent as given; not with `json`. */
  readonly body?: { readonly contentType: string; readonly bytes: Uint8Array };
  /** Scope of the bearer token for this call (default: the client's). */
  readonly scope?: string;
  /** Statuses returned as results instead of thrown (e.g. 503 for /health). */
  readonly acceptStatus?: readonly number[];
  readonly signal?: AbortSignal;
}

export interface RestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON when the response is JSON, undefined when empty, else the raw bytes. */
  readonly body: unknown;
}

export interface RestStreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The response body, unread: consume or destroy it. */
  readonly body: Readable;
}

/** RFC 9457 problem details, as far as the platform sends them. */
export interface Problem {
  readonly type: string | null;
  readonly title: string | null;
  readonly status: number;
  readonly detail: string | null;
  readonly instance: string | null;
}

export interface RestClient {
  request(path: string, options: RestRequestOptions): Promise<RestResponse>;
  get(path: string, options: Omit<RestRequestOptions, 'method' | 'json'>): Promise<RestResponse>;
  /** Like `request`, but a successful body is returned as a stream. */
  requestStream(path: string, options: RestRequestOptions): Promise<RestStreamResponse>;
  close(): Promise<void>;
}
