import type { X509Certificate } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { PasserelleError } from '../errors.ts';
import type { Credential } from '../pki/credential.ts';
import { parseCertificates } from '../pki/pem.ts';
// Seam: the transport layer exposes POST only today. These internals give the same TLS policy
// and error mapping for any method; switch to the transport's own request() when it has one.
import { _createConnector } from '../transport/_connect.ts';
import { _assertSecureEnvironment } from '../transport/_insecure.ts';
import { _mapError } from '../transport/_map-error.ts';
import { _checkDeclaredLength, _readBody } from '../transport/_read-body.ts';
import type { HttpClient, HttpRequestOptions, HttpResponse, HttpStreamResponse } from './types.ts';

export interface CreateHttpClientOptions {
  /** Client certificate for mutual TLS (the extranet channel). */
  readonly credential?: Credential;
  /** Trust bundle for server certificates; absent: Node's default roots. */
  readonly ca?: string | readonly (string | X509Certificate)[];
  readonly connectTimeoutMs?: number;
  readonly timeoutMs?: number;
  /** Largest buffered response; default 4 MiB. */
  readonly maxResponseBytes?: number;
  readonly userAgent?: string;
}

function _ca(ca: CreateHttpClientOptions['ca']): string[] | undefined {
  if (ca === undefined) return undefined;
  const items = typeof ca === 'string' ? [ca] : ca;
  return items.flatMap((i) =>
    typeof i === 'string' ? parseCertificates(i, 'the CA bundle').map((c) => c.toString()) : [i.toString()],
  );
}

/**
 * An HTTPS client for any method over one pooled undici Agent: TLS ≥ 1.2, certificate and host
 * name verification always on, optional mutual TLS, bounded buffered responses. Plain `http:`
 * URLs are refused with ERR_TRANSPORT_INSECURE.
 */
export function createHttpClient(options: CreateHttpClientOptions = {}): HttpClient {
  _assertSecureEnvironment();
  const { credential, userAgent = 'passerelle', maxResponseBytes = 4 * 1024 * 1024 } = options;
  const timeout = options.timeoutMs ?? 60_000;
  const ca = _ca(options.ca);
  const agent = new Agent({
    connect: _createConnector({
      ...(credential === undefined ? {} : { cert: credential.certPem, key: credential.keyPem }),
      ...(ca === undefined ? {} : { ca }),
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      timeout: options.connectTimeoutMs ?? 10_000,
    }),
    allowH2: false,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const ctxFor = (host: string) => ({ host, hasClientCertificate: credential !== undefined });

  async function send(url: string | URL, opts: HttpRequestOptions) {
    _assertSecureEnvironment();
    const target = typeof url === 'string' ? new URL(url) : url;
    if (target.protocol !== 'https:') {
      throw new PasserelleError('ERR_TRANSPORT_INSECURE', `Refusing a plain ${target.protocol} URL`, {
        hint: 'Platform endpoints are HTTPS only; fix the endpoint URL.',
        details: { protocol: target.protocol },
      });
    }
    try {
      const response = await request(target, {
        dispatcher: agent,
        method: opts.method ?? 'GET',
        headers: { 'user-agent': userAgent, ...opts.headers },
        ...(opts.body === undefined ? {} : { body: opts.body }),
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
      return { host: target.host, response };
    } catch (error) {
      throw _mapError(error, ctxFor(target.host));
    }
  }

  return Object.freeze({
    async request(url: string | URL, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
      const { host, response } = await send(url, opts);
      try {
        _checkDeclaredLength(response.headers['content-length'], host, maxResponseBytes);
        const body = await _readBody(response.body, host, maxResponseBytes);
        return { status: response.statusCode, headers: response.headers, body };
      } catch (error) {
        response.body.destroy();
        throw _mapError(error, ctxFor(host));
      }
    },
    async requestStream(url: string | URL, opts: HttpRequestOptions = {}): Promise<HttpStreamResponse> {
      const { response } = await send(url, opts);
      return { status: response.statusCode, headers: response.headers, body: response.body as Readable };
    },
    close: () => agent.close(),
  });
}
