import type { X509Certificate } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';
import type { Credential } from '../pki/credential.ts';
import { createTransport } from '../transport/create-transport.ts';
import type { TraceRecorder } from '../transport/trace-types.ts';
import type { HttpClient, HttpRequestOptions, HttpResponse, HttpStreamResponse } from './types.ts';

export interface CreateHttpClientOptions {
  /** Client certificate for mutual TLS (the extranet channel). */
  readonly credential?: Credential;
  /** Trust bundle for server certificates; absent: Node's default roots. */
  readonly ca?: string | readonly (string | X509Certificate)[];
  readonly connectTimeoutMs?: number;
  /** Time to wait for the headers, and between body chunks; default 60 s. */
  readonly timeoutMs?: number;
  /** Largest buffered response; default 4 MiB. */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
  /** The TLS credential must be valid at this clock's time; default the system clock. */
  readonly clock?: Clock;
  /** Records every exchange (createTraceRecorder); secrets are redacted in the files. */
  readonly trace?: TraceRecorder | undefined;
}

/**
 * The HttpClient of the OAuth and REST clients, over the toolkit's transport (createTransport):
 * the same TLS policy (≥ 1.2, certificate and host name verification always on, optional
 * mutual TLS), error mapping and bounded buffered responses, for any method. Plain `http:` URLs
 * are refused with ERR_TRANSPORT_INSECURE; a TLS credential outside its validity period, before
 * any connection, with ERR_PKI_CREDENTIAL_EXPIRED / _NOT_YET_VALID.
 */
export function createHttpClient(options: CreateHttpClientOptions = {}): HttpClient {
  const timeout = options.timeoutMs ?? 60_000;
  const transport = createTransport({
    ...(options.credential === undefined ? {} : { credential: options.credential }),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    headersTimeoutMs: timeout,
    bodyTimeoutMs: timeout,
    maxResponseBytes: options.maxResponseBytes ?? 4 * 1024 * 1024,
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  });
  return Object.freeze({
    request: (url: string | URL, opts: HttpRequestOptions = {}): Promise<HttpResponse> =>
      transport.request(url, opts),
    async requestStream(url: string | URL, opts: HttpRequestOptions = {}): Promise<HttpStreamResponse> {
      const r = await transport.requestStream(url, opts);
      return { status: r.status, headers: r.headers, body: r.body as Readable };
    },
    close: () => transport.close(),
  });
}
