import type { JWK } from 'jose';
import type { Logger } from '../../log.ts';
import { _memoryAdapter } from '../_oidc-adapter.ts';
import { _importOidc, type _OidcClient, type _OidcKoaContext, type _OidcProvider } from './_oidc.ts';
import { _renderErrorPage } from './_pages.ts';
import { _PSC_ACR, type _TokenService } from './_tokens.ts';
import type { PscProfessional } from './professionals.ts';

/** Keycloak's OpenID Connect routes, below the realm (PROTOCOLS.md §9). */
export const _PSC_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  introspection: '/protocol/openid-connect/token/introspect',
  userinfo: '/protocol/openid-connect/userinfo',
  jwks: '/protocol/openid-connect/certs',
  login: '/login/',
} as const;

export interface _PscClientConfig {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Absent: any http loopback redirect (127.0.0.1, localhost, [::1]; any port and path, RFC 8252 §7.3). */
  readonly redirectUris?: readonly string[];
}

export interface _PscProviderOptions {
  readonly issuer: string;
  readonly realmPath: string;
  readonly clients: readonly _PscClientConfig[];
  readonly professionals: ReadonlyMap<string, PscProfessional>;
  readonly signingJwk: JWK;
  readonly cookieKeys: readonly string[];
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly tokens: _TokenService;
  readonly log: Logger;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An http URL on a loopback host (any port, any path), without credentials or fragment. */
export function _isLoopbackRedirect(value: string): boolean {
  const url = URL.parse(value);
  return (
    url !== null &&
    url.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(url.hostname) &&
    url.username === '' &&
    url.password === '' &&
    !value.includes('#')
  );
}

/** Claims of a professional (ID token by scope, and the stub's own userinfo). */
export function _professionalClaims(p: PscProfessional): Record<string, unknown> {
  return {
    sub: p.rpps,
    preferred_username: p.rpps,
    name: p.name,
    SubjectNameID: p.rpps,
    ...(p.mailboxes[0] === undefined ? {} : { email: p.mailboxes[0] }),
  };
}

/**
 * oidc-provider 9 as Pro Santé Connect: authorization code flow only, PKCE (S256) required for
 * every client, `acr_values` limited to eidas1 (any other asked alone → invalid_request back to
 * the client), scopes `openid scope_all`, refresh tokens for every client allowed the grant,
 * Keycloak routes, login through the stub's own page (interaction URL `<realm>/login/<uid>`).
 * The access token oidc-provider issues is swapped, in the token response, for a Keycloak-like
 * JWT minted by `tokens` (introspection and userinfo are the stub's, not oidc-provider's).
 */
export async function _createPscProvider(o: _PscProviderOptions): Promise<_OidcProvider> {
  const { default: Provider, errors } = await _importOidc(o.log);
  const loopbackClients = new Set(
    o.clients.filter((c) => c.redirectUris === undefined).map((c) => c.clientId),
  );
  const provider = new Provider(o.issuer, {
    adapter: _memoryAdapter(),
    clients: o.clients.map((c) => {
      const uris = c.redirectUris ?? ['http://127.0.0.1/', 'http://localhost/'];
      return {
        client_id: c.clientId,
        ...(c.clientSecret === undefined ? {} : { client_secret: c.clientSecret }),
        token_endpoint_auth_method: c.clientSecret === undefined ? 'none' : 'client_secret_basic',
        application_type: uris.every(_isLoopbackRedirect) ? 'native' : 'web',
        redirect_uris: [...uris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'RS256',
      };
    }),
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    acrValues: [_PSC_ACR],
    scopes: ['openid', 'scope_all', 'offline_access'],
    claims: { openid: ['sub'], scope_all: ['preferred_username', 'name', 'email', 'SubjectNameID'] },
    findAccount: async (_ctx: unknown, id: string) => {
      const p = o.professionals.get(id);
      return p === undefined ? undefined : { accountId: id, claims: async () => _professionalClaims(p) };
    },
    jwks: { keys: [o.signingJwk] },
    cookies: { keys: [...o.cookieKeys] },
    routes: {
      authorization: _PSC_ROUTES.authorization,
      token: _PSC_ROUTES.token,
      jwks: _PSC_ROUTES.jwks,
    },
    pkce: { required: () => true },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: o.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: o.accessTokenSeconds,
      RefreshToken: o.refreshTokenSeconds,
      Grant: o.refreshTokenSeconds,
      Interaction: 600,
      Session: o.refreshTokenSeconds,
    },
    extraParams: {
      acr_values: async (_ctx: unknown, value: unknown) => {
        if (value === undefined) return;
        if (!String(value).split(' ').includes(_PSC_ACR))
          throw new errors.InvalidRequest(`acr_values: only ${_PSC_ACR} is supported`);
      },
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) =>
        `${o.realmPath}${_PSC_ROUTES.login}${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      clientCredentials: { enabled: false },
    },
    renderError: async (
      ctx: { type: string; body: unknown; set(h: string, v: string): void },
      out: Record<string, unknown>,
    ) => {
      ctx.type = 'html';
      ctx.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      ctx.body = _renderErrorPage(String(out['error'] ?? 'server_error'), out['error_description']);
    },
  });
  const original = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function (this: _OidcClient, value: string): boolean {
    return original.call(this, value) || (loopbackClients.has(this.clientId) && _isLoopbackRedirect(value));
  };
  provider.use(async (ctx: _OidcKoaContext, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown>;
    const { AccessToken: at, AuthorizationCode: code, RefreshToken: refresh } = ctx.oidc.entities;
    const source = code ?? refresh;
    if (at === undefined || source === undefined || typeof body['access_token'] !== 'string') return;
    body['access_token'] = await o.tokens.mint({
      rpps: at.accountId,
      clientId: at.clientId,
      ...(at.scope === undefined ? {} : { scope: at.scope }),
      acr: source.acr ?? _PSC_ACR,
      ...(source.authTime === undefined ? {} : { authTime: source.authTime }),
      expiresInSeconds: o.accessTokenSeconds,
    });
    body['expires_in'] = o.accessTokenSeconds;
    body['refresh_expires_in'] = o.refreshTokenSeconds;
  });
  return provider;
}
