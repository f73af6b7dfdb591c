import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { PasserelleError } from '../errors.ts';
import { type CreateHttpClientOptions, createHttpClient } from '../oauth/create-http-client.ts';
import type { AccessToken, HttpClient, HttpRequestOptions } from '../oauth/types.ts';
import { _readBody, _readUpTo } from '../transport/read-body.ts';
import { decodeUtf8 } from '../utf8.ts';
import { _problemError } from './_problem.ts';
import { _restUrl } from './_url.ts';
import { _bearerChallenge } from './_www-authenticate.ts';
import type {
  RestClient,
  RestRequestOptions,
  RestResponse,
  RestStreamResponse,
  TokenSource,
} from './types.ts';

export interface RestClientOptions {
  /** The REST base with its `{api}` placeholder (`cbss.rest`), e.g. `https://b2b-test.ksz-bcss.fgov.be:4543/{api}`. */
  readonly baseUrl: string;
  /** Bearer tokens (an OAuthClient). Absent: calls go without Authorization. */
  readonly tokens?: TokenSource;
  /** Default token scope of the calls. */
  readonly scope?: string;
  /** The HTTP seam; default one built from `tls` (closed with the client). */
  readonly http?: HttpClient;
  /** TLS of the default HTTP client: the CA and, on the extranet, the client certificate. */
  readonly tls?: CreateHttpClientOptions;
  /** Largest error body read to parse problem details; default 64 KiB. */
  readonly maxErrorBytes?: number;
  /** Largest buffered response (`request`); default 16 MiB, beyond: ERR_TRANSPORT_BODY_TOO_LARGE. */
  readonly maxResponseBytes?: number;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function _isInvalidToken(status: number, headers: IncomingHttpHeaders): boolean {
  return status === 401 && _bearerChallenge(headers['www-authenticate'])?.['error'] === 'invalid_token';
}

/** An error body, read up to `limit` bytes (a longer one is cut: it only feeds the error). */
const _readBounded = async (body: Readable, limit: number): Promise<Buffer> =>
  (await _readUpTo(body, limit)).bytes;

/**
 * A client of the platform's REST APIs (PROTOCOLS.md §6): bearer tokens from the OAuth client,
 * one token refresh and retry when the API answers 401 `invalid_token`, problem+json errors as
 * ERR_REST_UNAUTHORIZED / FORBIDDEN / NOT_FOUND / PROBLEM (status, type, title, detail in
 * `details`), JSON bodies by default and streamed bodies on request.
 */
export function createRestClient(options: RestClientOptions): RestClient {
  const { baseUrl, tokens, maxErrorBytes = 64 * 1024, maxResponseBytes = 16 * 1024 * 1024 } = options;
  const base = URL.parse(baseUrl.replace('{api}', 'api'));
  if (base === null || base.protocol !== 'https:')
    throw new TypeError('createRestClient: baseUrl must be an https URL');
  const http = options.http ?? createHttpClient(options.tls);
  const ownsHttp = options.http === undefined;

  async function send(path: string, req: RestRequestOptions) {
    const url = _restUrl(baseUrl, req.api, path, req.query);
    const scope = req.scope ?? options.scope;
    const scoped = scope === undefined ? {} : { scope };
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...req.headers,
    };
    let body: string | Buffer | undefined;
    if (req.json !== undefined && req.body !== undefined)
      throw new TypeError('RestClient: give json or body, not both');
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.body !== undefined) {
      const { bytes } = req.body;
      body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      headers['content-type'] = req.body.contentType;
    }
    const attempt = async (token: AccessToken | undefined) => {
      const h = token === undefined ? headers : { ...headers, authorization: `Bearer ${token.value}` };
      const o: HttpRequestOptions = {
        method: req.method ?? 'GET',
        headers: h,
        ...(body === undefined ? {} : { body }),
        ...(req.signal === undefined ? {} : { signal: req.signal }),
      };
      return http.requestStream(url, o);
    };
    let token = tokens === undefined ? undefined : await tokens.getToken(scoped);
    let response = await attempt(token);
    if (tokens !== undefined && token !== undefined && _isInvalidToken(response.status, response.headers)) {
      await _readBounded(response.body, maxErrorBytes); // drained, so the connection is reused
      tokens.invalidate(token, scoped);
      token = await tokens.getToken(scoped);
      response = await attempt(token);
    }
    const where = { host: url.host, api: req.api };
    if (response.status >= 400 && !(req.acceptStatus ?? []).includes(response.status)) {
      const errorBody = await _readBounded(response.body, maxErrorBytes);
      throw _problemError(response.status, response.headers, errorBody, where);
    }
    return { response, where };
  }

  async function request(path: string, req: RestRequestOptions): Promise<RestResponse> {
    const { response, where } = await send(path, req);
    const bytes = await _readBody(response.body, where.host, maxResponseBytes);
    const type = String(response.headers['content-type'] ?? '');
    if (bytes.length === 0) return { status: response.status, headers: response.headers, body: undefined };
    if (!JSON_TYPE.test(type)) return { status: response.status, headers: response.headers, body: bytes };
    try {
      return { status: response.status, headers: response.headers, body: JSON.parse(decodeUtf8(bytes)) };
    } catch (cause) {
      throw new PasserelleError('ERR_REST_RESPONSE_INVALID', `The ${where.api} API sent invalid JSON`, {
        details: { status: response.status, host: where.host, api: where.api },
        cause,
      });
    }
  }

  return Object.freeze({
    request,
    get: (path: string, req: Omit<RestRequestOptions, 'method' | 'json'>) =>
      request(path, { ...req, method: 'GET' }),
    async requestStream(path: string, req: RestRequestOptions): Promise<RestStreamResponse> {
      const { response } = await send(path, req);
      return { status: response.status, headers: response.headers, body: response.body };
    },
    close: () => (ownsHttp ? http.close() : Promise.resolve()),
  });
}
