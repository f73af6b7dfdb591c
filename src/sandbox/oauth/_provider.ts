import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { Provider } from 'oidc-provider';
import type { Logger } from '../../log.ts';
import { _importOidcProvider } from '../_import-oidc-provider.ts';
import { _memoryAdapter } from '../_oidc-adapter.ts';
import { _assertClaims } from './_assert-claims.ts';
import { SANDBOX_OAUTH_PATHS, SANDBOX_REST_AUDIENCE } from './constants.ts';

export interface _ProviderClient {
  readonly clientId: string;
  /** Public JWK of the registered certificate. */
  readonly jwk: JWK;
  /** The one algorithm the client's assertions may use (token_endpoint_auth_signing_alg). */
  readonly alg: (typeof _CLIENT_AUTH_ALGS)[number];
  readonly scope: string;
}

export interface _ProviderOptions {
  readonly issuer: string;
  readonly clients: readonly _ProviderClient[];
  /** Private JWK (EC P-256) that signs JWT access tokens. */
  readonly signingJwk: JWK;
  readonly accessTokenTtlSeconds: number;
  readonly accessTokenFormat: 'jwt' | 'opaque';
  readonly clockToleranceSeconds: number;
  /** Also accept the issuer as assertion audience (older platform versions); default: token endpoint only. */
  readonly acceptIssuerAudience: boolean;
  /** Every scope the server knows (the sandbox's, then those of served contracts). */
  readonly scopes: readonly string[];
  /** Those a token gets only when asked for (not granted to a request without scope). */
  readonly onRequestScopes: readonly string[];
  /** Receives oidc-provider's console notices. */
  readonly log: Logger;
}

/** Client authentication algorithms accepted: no `none`, no HMAC. */
export const _CLIENT_AUTH_ALGS = ['RS256', 'PS256', 'ES256'] as const;

/**
 * An oidc-provider 9 instance reduced to what the platform's OAuth v5 server does: the
 * client_credentials grant, private_key_jwt client authentication only, each client pinned to
 * one algorithm (RS256/PS256/ES256), assertion audience the endpoint URL (issuer optional),
 * replay detection of assertion `jti` through an adapter of its own, token introspection, and
 * access tokens for the sandbox REST APIs (resource indicator `SANDBOX_REST_AUDIENCE`).
 */
export async function _createProvider(options: _ProviderOptions): Promise<Provider> {
  const { accessTokenTtlSeconds: ttl, accessTokenFormat } = options;
  const { Provider: OidcProvider, errors } = await _importOidcProvider(options.log);
  const provider = new OidcProvider(options.issuer, {
    adapter: _memoryAdapter(),
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: c.alg,
      introspection_endpoint_auth_method: 'private_key_jwt',
      introspection_endpoint_auth_signing_alg: c.alg,
      jwks: { keys: [c.jwk] },
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: c.scope,
      id_token_signed_response_alg: 'ES256',
    })),
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: [..._CLIENT_AUTH_ALGS] },
    clockTolerance: options.clockToleranceSeconds,
    assertJwtClientAuthClaimsAndHeader: _assertClaims(
      errors,
      options.clockToleranceSeconds,
      (route) => {
        const { issuer } = options;
        const endpoint = `${issuer}${route === 'introspection' ? SANDBOX_OAUTH_PATHS.introspection : SANDBOX_OAUTH_PATHS.token}`;
        return options.acceptIssuerAudience ? [endpoint, issuer] : [endpoint];
      },
      new Set(options.onRequestScopes),
    ),
    scopes: [...options.scopes],
    claims: {},
    jwks: { keys: [options.signingJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: {
      token: SANDBOX_OAUTH_PATHS.token,
      introspection: SANDBOX_OAUTH_PATHS.introspection,
      jwks: SANDBOX_OAUTH_PATHS.jwks,
    },
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
    },
    features: {
      devInteractions: { enabled: false },
      // No end-user flows: the platform's server has none (the HTTP layer also answers 404).
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      clientCredentials: { enabled: true },
      // A client may introspect only its own tokens.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      revocation: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => SANDBOX_REST_AUDIENCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          if (resource !== SANDBOX_REST_AUDIENCE)
            throw new errors.InvalidTarget('unknown resource indicator');
          return {
            scope: options.scopes.join(' '),
            audience: SANDBOX_REST_AUDIENCE,
            accessTokenTTL: ttl,
            accessTokenFormat,
            ...(accessTokenFormat === 'jwt' ? { jwt: { sign: { alg: 'ES256' } } } : {}),
          };
        },
      },
    },
  });
  return provider;
}
