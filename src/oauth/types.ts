import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** JWS algorithms accepted for client assertions (allow-list; never `none`, never HMAC). */
export type AssertionAlgorithm = 'RS256' | 'PS256' | 'ES256';
export const ASSERTION_ALGORITHMS: readonly AssertionAlgorithm[] = Object.freeze(['RS256', 'PS256', 'ES256']);

/**
 * An access token. The token value is a non-enumerable property: `JSON.stringify`, `--json`
 * output and `util.inspect` show the expiry, scope and fingerprint, never the token.
 */
export interface AccessToken {
  /** The bearer value. Never log it; print it only on explicit request. */
  readonly value: string;
  readonly tokenType: 'Bearer';
  /** Epoch milliseconds after which the token must not be used. */
  readonly expiresAt: number;
  /** `expires_in` as the server sent it, seconds. */
  readonly expiresIn: number;
  /** The granted scope (space separated), when the server said. */
  readonly scope: string | undefined;
  /** `sha256:` + the first 16 hex digits of SHA-256(token): safe to show and to compare. */
  readonly fingerprint: string;
}

/** The RFC 8414 fields this toolkit uses; the rest of the document is kept in `raw`. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string | undefined;
  readonly introspectionEndpoint: string | undefined;
  readonly tokenEndpointAuthMethods: readonly string[] | undefined;
  readonly tokenEndpointAuthSigningAlgs: readonly string[] | undefined;
  readonly scopesSupported: readonly string[] | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface HttpRequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  /** A Readable body is streamed (give its exact Content-Length); it cannot be replayed. */
  readonly body?: string | Buffer | Readable;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpStreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Consume or destroy it. */
  readonly body: Readable;
}

/**
 * The HTTP seam the OAuth and REST clients use: any method, buffered or streamed. The default
 * (`createHttpClient`) verifies TLS ≥ 1.2 against the given CA; tests may inject their own.
 */
export interface HttpClient {
  request(url: string | URL, options?: HttpRequestOptions): Promise<HttpResponse>;
  requestStream(url: string | URL, options?: HttpRequestOptions): Promise<HttpStreamResponse>;
  close(): Promise<void>;
}
