import { type Clock, systemClock } from '../clock.ts';
import type { Credential } from '../pki/credential.ts';
import { type CreateHttpClientOptions, createHttpClient } from './create-http-client.ts';
import { discoverAuthorizationServer } from './discover.ts';
import { requestToken } from './request-token.ts';
import { TokenCache } from './token-cache.ts';
import type { AccessToken, AssertionAlgorithm, AuthorizationServerMetadata, HttpClient } from './types.ts';

export interface OAuthClientOptions {
  readonly clientId: string;
  /** The certificate registered with the platform; its key signs the client assertions. */
  readonly credential: Credential;
  /** The token endpoint (`oauth.token`). Absent: taken from the metadata. */
  readonly tokenEndpoint?: string;
  /** RFC 8414 metadata URL (`oauth.metadata`); needed without `tokenEndpoint` or for `audience: 'issuer'`. */
  readonly metadataUrl?: string;
  /**
   * The issuer the metadata must name; default the one its URL implies (RFC 8414 §3). Set it
   * when the platform's issuer differs from its metadata host [inferred: not published].
   */
  readonly issuer?: string;
  /** The assertion's `aud`: the token endpoint URL (default) or the issuer. */
  readonly audience?: 'token-endpoint' | 'issuer';
  /** Default scope of `getToken()`; omit to get the client's default scopes. */
  readonly scope?: string;
  readonly alg?: AssertionAlgorithm;
  /** Seconds, default 90, at most 300. */
  readonly assertionLifetimeSeconds?: number;
  readonly kid?: string | true;
  readonly x5tS256?: boolean;
  /** Default 60 s (capped at half the token lifetime). Ignored when `cache` is given. */
  readonly refreshMarginSeconds?: number;
  /** Share one cache between clients; default: a cache of this client. */
  readonly cache?: TokenCache;
  /** The HTTP seam; default one built from `tls` (closed with the client). */
  readonly http?: HttpClient;
  /** TLS of the default HTTP client: the dev or platform CA, and a client certificate on the extranet. */
  readonly tls?: CreateHttpClientOptions;
  readonly clock?: Clock;
}

export interface GetTokenOptions {
  /** Overrides the client's default scope. */
  readonly scope?: string;
  /** Skip the cache (still single-flight). */
  readonly forceRefresh?: boolean;
}

export interface OAuthClient {
  readonly clientId: string;
  /** A valid access token from the cache, refreshed ahead of expiry, one request at a time. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** Forgets `token` (e.g. the resource server said invalid_token); the next getToken fetches. */
  invalidate(token: AccessToken, options?: { scope?: string }): void;
  /** The discovered metadata (undefined when only a token endpoint is configured). */
  metadata(): Promise<AuthorizationServerMetadata | undefined>;
  close(): Promise<void>;
}

/**
 * An OAuth v5 client (PROTOCOLS.md §6): client_credentials with private_key_jwt, optional RFC
 * 8414 discovery, and a token cache keyed by token endpoint + client id + scope.
 */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const { clientId, credential, audience = 'token-endpoint', clock = systemClock } = options;
  if (typeof clientId !== 'string' || clientId.length === 0)
    throw new TypeError('createOAuthClient: clientId is required');
  if (options.tokenEndpoint === undefined && options.metadataUrl === undefined) {
    throw new TypeError('createOAuthClient: give tokenEndpoint or metadataUrl');
  }
  if (audience === 'issuer' && options.metadataUrl === undefined) {
    throw new TypeError('createOAuthClient: audience "issuer" needs metadataUrl');
  }
  if (audience !== 'issuer' && audience !== 'token-endpoint') {
    throw new TypeError('createOAuthClient: audience is "token-endpoint" or "issuer"');
  }
  const http = options.http ?? createHttpClient({ clock, ...options.tls });
  const ownsHttp = options.http === undefined;
  const cache =
    options.cache ??
    new TokenCache({
      clock,
      ...(options.refreshMarginSeconds === undefined
        ? {}
        : { refreshMarginSeconds: options.refreshMarginSeconds }),
    });
  let discovered: Promise<AuthorizationServerMetadata> | undefined;
  const metadataUrl = options.metadataUrl;
  const discover = (): Promise<AuthorizationServerMetadata> => {
    if (metadataUrl === undefined) throw new TypeError('no metadataUrl');
    discovered ??= discoverAuthorizationServer({
      http,
      metadataUrl,
      ...(options.issuer === undefined ? {} : { expectedIssuer: options.issuer }),
    }).catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };
  const endpoint = async (): Promise<{ tokenEndpoint: string; aud: string }> => {
    const meta = options.tokenEndpoint === undefined || audience === 'issuer' ? await discover() : undefined;
    const tokenEndpoint = options.tokenEndpoint ?? (meta as AuthorizationServerMetadata).tokenEndpoint;
    return {
      tokenEndpoint,
      aud: audience === 'issuer' ? (meta as AuthorizationServerMetadata).issuer : tokenEndpoint,
    };
  };
  const keyOf = (scope: string | undefined) =>
    JSON.stringify([options.tokenEndpoint ?? metadataUrl, clientId, scope?.trim() ?? '']);

  return Object.freeze({
    clientId,
    getToken(get: GetTokenOptions = {}): Promise<AccessToken> {
      const scope = get.scope ?? options.scope;
      return cache.get(
        keyOf(scope),
        async () => {
          const { tokenEndpoint, aud } = await endpoint();
          return requestToken({
            http,
            tokenEndpoint,
            clientId,
            credential,
            audience: aud,
            clock,
            scope,
            alg: options.alg,
            assertionLifetimeSeconds: options.assertionLifetimeSeconds,
            kid: options.kid,
            x5tS256: options.x5tS256,
          });
        },
        { forceRefresh: get.forceRefresh === true },
      );
    },
    invalidate(token: AccessToken, inv: { scope?: string } = {}): void {
      cache.invalidate(keyOf(inv.scope ?? options.scope), token.value);
    },
    metadata: async () => (metadataUrl === undefined ? undefined : discover()),
    close: () => (ownsHttp ? http.close() : Promise.resolve()),
  });
}
