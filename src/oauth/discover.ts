import { PasserelleError } from '../errors.ts';
import { safeText } from '../transport/safe-text.ts';
import { decodeUtf8 } from '../utf8.ts';
import type { AuthorizationServerMetadata, HttpClient } from './types.ts';

const WELL_KNOWN = '/.well-known/oauth-authorization-server';

export interface DiscoverOptions {
  readonly http: HttpClient;
  /** The metadata URL (`https://host/.well-known/oauth-authorization-server[/path]`). */
  readonly metadataUrl: string;
  /** Check `issuer` against this value instead of the one derived from the URL (RFC 8414 §3). */
  readonly expectedIssuer?: string;
  readonly signal?: AbortSignal;
}

function _fail(message: string, details: Record<string, string | number | null>, cause?: unknown): never {
  throw new PasserelleError('ERR_OAUTH_DISCOVERY_FAILED', message, {
    hint: 'Check the oauth.metadata endpoint of the environment (PROTOCOLS.md §1), or configure oauth.token directly.',
    details,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** RFC 8414 §3.1: the issuer a metadata URL belongs to (the well-known segment removed). */
function _issuerOf(url: URL): string | undefined {
  if (!url.pathname.startsWith(WELL_KNOWN)) return undefined;
  const rest = url.pathname.slice(WELL_KNOWN.length);
  return `${url.origin}${rest === '/' ? '' : rest}`;
}

const _strings = (v: unknown): readonly string[] | undefined =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;

function _httpsUrl(value: unknown, name: string, host: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || URL.parse(value)?.protocol !== 'https:') {
    _fail(`The authorization server metadata has an invalid ${name}`, { host, field: name });
  }
  return value;
}

/**
 * Reads RFC 8414 authorization server metadata and checks it: a JSON object whose `issuer`
 * equals the issuer the URL names (or `expectedIssuer`) and an https `token_endpoint`.
 * Throws ERR_OAUTH_DISCOVERY_FAILED or ERR_TRANSPORT_*.
 */
export async function discoverAuthorizationServer(
  options: DiscoverOptions,
): Promise<AuthorizationServerMetadata> {
  const url = new URL(options.metadataUrl);
  const host = url.host;
  const response = await options.http.request(url, {
    headers: { accept: 'application/json' },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (response.status !== 200)
    _fail(`The metadata endpoint answered HTTP ${response.status}`, { host, status: response.status });
  let raw: unknown;
  try {
    raw = JSON.parse(decodeUtf8(response.body));
  } catch (cause) {
    _fail('The authorization server metadata is not JSON', { host }, cause);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    _fail('The metadata is not a JSON object', { host });
  const doc = raw as Record<string, unknown>;
  const expected = options.expectedIssuer ?? _issuerOf(url);
  if (typeof doc['issuer'] !== 'string' || (expected !== undefined && doc['issuer'] !== expected)) {
    _fail('The metadata issuer does not match the metadata URL', {
      host,
      issuer: safeText(doc['issuer'], 200),
      expected: expected ?? null,
    });
  }
  const tokenEndpoint = _httpsUrl(doc['token_endpoint'], 'token_endpoint', host);
  if (tokenEndpoint === undefined) _fail('The metadata has no token_endpoint', { host });
  return Object.freeze({
    issuer: doc['issuer'],
    tokenEndpoint,
    jwksUri: _httpsUrl(doc['jwks_uri'], 'jwks_uri', host),
    introspectionEndpoint: _httpsUrl(doc['introspection_endpoint'], 'introspection_endpoint', host),
    tokenEndpointAuthMethods: _strings(doc['token_endpoint_auth_methods_supported']),
    tokenEndpointAuthSigningAlgs: _strings(doc['token_endpoint_auth_signing_alg_values_supported']),
    scopesSupported: _strings(doc['scopes_supported']),
    raw: Object.freeze({ ...doc }),
  });
}
