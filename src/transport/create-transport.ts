import type { X509Certificate } from 'node:crypto';
import { Agent, type Dispatcher, request } from 'undici';
import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { checkCredentialValidity } from '../pki/credential-validity.ts';
import { parseCertificates } from '../pki/pem.ts';
import { _createConnector } from './_connect.ts';
import { _mapError } from './_map-error.ts';
import { _TraceExchange } from './_trace-exchange.ts';
import { _traceInterceptor } from './_trace-interceptor.ts';
import { _recorderStates } from './_trace-state.ts';
import { _checkDeclaredLength, _readBody } from './read-body.ts';
import { assertSecureEnvironment } from './secure-environment.ts';
import type { TraceRecorder } from './trace-types.ts';
import type {
  PostOptions,
  RequestOptions,
  Transport,
  TransportResponse,
  TransportStreamResponse,
} from './types.ts';

export interface CreateTransportOptions {
  /** Client certificate and key for mutual TLS (its `certPem`/`keyPem` go to the TLS stack only). */
  readonly credential?: Credential;
  /** Trust bundle for server certificates (PEM text or certificates). Absent: Node's default roots. */
  readonly ca?: string | readonly (string | X509Certificate)[];
  /** Lowest TLS version accepted; default and floor `TLSv1.2`. */
  readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** TCP + TLS handshake timeout; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Time to wait for the response headers; default 60 s. */
  readonly headersTimeoutMs?: number;
  /** Maximum idle time between body chunks; default 60 s. */
  readonly bodyTimeoutMs?: number;
  /** How long an idle pooled connection is kept; default 30 s (server hints may shorten it). */
  readonly keepAliveTimeoutMs?: number;
  /** Connections per origin; default 8. */
  readonly connectionsPerOrigin?: number;
  /** Largest buffered response; default 16 MiB. */
  readonly maxResponseBytes?: number;
  /** Default `passerelle`. */
  readonly userAgent?: string;
  readonly logger?: Logger;
  /** The time `credential` must be valid at (checked once, here, before any connection). */
  readonly clock?: Clock;
  /**
   * Record every exchange (request and response heads and bodies, secrets redacted) to this
   * recorder's directory (createTraceRecorder). Absent: nothing is recorded.
   */
  readonly trace?: TraceRecorder | undefined;
}

function _positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v <= 0)
    throw new TypeError(`createTransport: ${name} must be a positive integer`);
  return v;
}

function _caBundle(ca: CreateTransportOptions['ca']): string[] | undefined {
  if (ca === undefined) return undefined;
  const items = typeof ca === 'string' ? [ca] : ca;
  if (items.length === 0)
    throw new TypeError('createTransport: ca is empty (omit it to use the default roots)');
  return items.flatMap((item) =>
    typeof item === 'string'
      ? parseCertificates(item, 'the CA bundle').map((c) => c.toString())
      : [item.toString()],
  );
}

/**
 * An HTTPS client over an undici Agent: mutual TLS from a Credential, a CA bundle, TLS ≥ 1.2,
 * hostname verification and certificate verification always on, keep-alive pooling, timeouts
 * and a response size limit. Refuses to run with NODE_TLS_REJECT_UNAUTHORIZED=0.
 */
export function createTransport(options: CreateTransportOptions = {}): Transport {
  assertSecureEnvironment();
  const {
    credential,
    minVersion = 'TLSv1.2',
    userAgent = 'passerelle',
    logger = silentLogger,
    trace,
  } = options;
  // An expired or not-yet-valid client certificate: refused before any connection is made.
  if (credential !== undefined)
    checkCredentialValidity(credential, { clock: options.clock ?? systemClock, role: 'tls' });
  if (trace !== undefined && !_recorderStates.has(trace))
    throw new TypeError('createTransport: trace must come from createTraceRecorder');
  if (minVersion !== 'TLSv1.2' && minVersion !== 'TLSv1.3') {
    throw new TypeError('createTransport: minVersion must be TLSv1.2 or TLSv1.3');
  }
  const maxResponseBytes = _positive('maxResponseBytes', options.maxResponseBytes, 16 * 1024 * 1024);
  const connect = _createConnector({
    ...(credential === undefined ? {} : { cert: credential.certPem, key: credential.keyPem }),
    ...(options.ca === undefined ? {} : { ca: _caBundle(options.ca) }),
    minVersion,
    rejectUnauthorized: true,
    timeout: _positive('connectTimeoutMs', options.connectTimeoutMs, 10_000),
  });
  const agent = new Agent({
    connect,
    allowH2: false,
    connections: _positive('connectionsPerOrigin', options.connectionsPerOrigin, 8),
    headersTimeout: _positive('headersTimeoutMs', options.headersTimeoutMs, 60_000),
    bodyTimeout: _positive('bodyTimeoutMs', options.bodyTimeoutMs, 60_000),
    keepAliveTimeout: _positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 30_000),
  });
  const ctxFor = (host: string) => ({ host, hasClientCertificate: credential !== undefined });

  async function send(
    url: string | URL,
    post: RequestOptions,
  ): Promise<{
    host: string;
    limit: number;
    response: Dispatcher.ResponseData;
    exchange: _TraceExchange | undefined;
  }> {
    assertSecureEnvironment();
    const target = typeof url === 'string' ? new URL(url) : url;
    if (target.protocol !== 'https:') {
      throw new PasserelleError('ERR_TRANSPORT_INSECURE', `Refusing a plain ${target.protocol} URL`, {
        hint: 'Platform endpoints are HTTPS only; fix the endpoint URL.',
        details: { protocol: target.protocol },
      });
    }
    const limit = _positive('maxResponseBytes', post.maxResponseBytes, maxResponseBytes);
    const method = post.method ?? 'GET';
    const headers = { 'user-agent': userAgent, ...post.headers };
    const mapError = (error: unknown) => _mapError(error, ctxFor(target.host));
    const exchange =
      trace === undefined
        ? undefined
        : new _TraceExchange(trace, { method, url: target, headers, body: post.body, mapError });
    try {
      const response = await request(target, {
        dispatcher: exchange === undefined ? agent : agent.compose(_traceInterceptor(exchange)),
        method,
        headers,
        ...(post.body === undefined ? {} : { body: post.body }),
        ...(post.signal === undefined ? {} : { signal: post.signal }),
      });
      logger.debug({ host: target.host, status: response.statusCode }, 'transport response');
      try {
        _checkDeclaredLength(response.headers['content-length'], target.host, limit);
      } catch (error) {
        exchange?._release(error);
        response.body.destroy();
        throw error;
      }
      return { host: target.host, limit, response, exchange };
    } catch (error) {
      const mapped = mapError(error);
      exchange?._release(mapped);
      throw mapped;
    }
  }

  async function buffered(url: string | URL, opts: RequestOptions): Promise<TransportResponse> {
    const { host, limit, response, exchange } = await send(url, opts);
    try {
      const body = await _readBody(response.body, host, limit);
      exchange?._release();
      // undici frees the connection a tick after the body ends; without this yield an
      // immediate next request would open a second connection instead of reusing this one.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      const mapped = _mapError(error, ctxFor(host));
      exchange?._release(mapped);
      response.body.destroy();
      throw mapped;
    }
  }

  async function streamed(url: string | URL, opts: RequestOptions): Promise<TransportStreamResponse> {
    const { response, exchange } = await send(url, opts);
    // The exchange is written out when the network side ends (the caller reads or drops the body).
    exchange?._release();
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  return Object.freeze({
    request: (url: string | URL, opts: RequestOptions = {}) => buffered(url, opts),
    requestStream: (url: string | URL, opts: RequestOptions = {}) => streamed(url, opts),
    post: (url: string | URL, post: PostOptions) => buffered(url, { ...post, method: 'POST' }),
    postStream: (url: string | URL, post: PostOptions) => streamed(url, { ...post, method: 'POST' }),
    close: () => agent.close(),
  });
}
