import { generateKeyPairSync, type X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { OIDCProviderError } from 'oidc-provider';
import { _sendJson } from '../_json.ts';
import { closeServer, listenRole } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { _CLIENT_AUTH_ALGS, _createProvider } from './_provider.ts';
import {
  SANDBOX_OAUTH_CLIENT_ID,
  SANDBOX_OAUTH_PATHS,
  SANDBOX_ON_REQUEST_SCOPES,
  SANDBOX_SCOPES,
} from './constants.ts';

const ALL_SCOPES = [...SANDBOX_SCOPES, ...SANDBOX_ON_REQUEST_SCOPES];

export interface OAuthModuleClient {
  readonly clientId: string;
  /** The registered certificate: its public key verifies the client's assertions. */
  readonly certificate: X509Certificate;
  /** Scopes the client may get (default: every sandbox scope). */
  readonly scope?: string;
  /** The one algorithm its assertions may use; default RS256 for an RSA key, ES256 for EC P-256. */
  readonly alg?: (typeof _CLIENT_AUTH_ALGS)[number];
}

export interface OAuthModuleOptions {
  /** Access token lifetime, seconds; default 3600 [inferred: the platform does not publish it]. */
  readonly accessTokenTtlSeconds?: number;
  /** `jwt` (default, RFC 9068-style, verified by the REST APIs with the published JWKS) or `opaque`. */
  readonly accessTokenFormat?: 'jwt' | 'opaque';
  /** Leeway on assertion times, seconds; default 5. */
  readonly clockToleranceSeconds?: number;
  /** More clients besides the partner's (tests). */
  readonly clients?: readonly OAuthModuleClient[];
  /**
   * Also accept assertions whose `aud` is the issuer, as older platform versions did
   * (PROTOCOLS.md §6). Default false: only the endpoint URL (the token endpoint, or the
   * introspection endpoint for introspection).
   */
  readonly acceptIssuerAudience?: boolean;
  /**
   * More scopes the partner client (and `clients` without a `scope`) may get on request, e.g.
   * those of the contracts the sandbox serves (SandboxContracts.scopes); tokens asked without a
   * scope keep SANDBOX_SCOPES.
   */
  readonly extraScopes?: readonly string[];
}

const _publicJwk = (certificate: X509Certificate): JWK => ({
  ...certificate.publicKey.export({ format: 'jwk' }),
  use: 'sig',
});

/** The algorithm a client is pinned to: the given one, else RS256 for RSA, ES256 for EC. */
function _clientAlg(certificate: X509Certificate, alg: OAuthModuleClient['alg']) {
  const kind = certificate.publicKey.asymmetricKeyType;
  const fits = kind === 'ec' ? ['ES256'] : kind === 'rsa' ? ['RS256', 'PS256'] : [];
  if (alg !== undefined && !fits.includes(alg))
    throw new TypeError(`oauthModule: a ${String(kind)} key cannot sign ${alg}`);
  if (fits.length === 0) throw new TypeError(`oauthModule: unsupported client key type ${String(kind)}`);
  return alg ?? (kind === 'ec' ? 'ES256' : 'RS256');
}

/** What the platform's server serves: nothing else reaches oidc-provider. */
const _ROUTES: ReadonlySet<string> = new Set([
  `POST ${SANDBOX_OAUTH_PATHS.token}`,
  `POST ${SANDBOX_OAUTH_PATHS.introspection}`,
  `GET ${SANDBOX_OAUTH_PATHS.jwks}`,
]);

/** RFC 8414 metadata of a client_credentials-only server: no authorization, userinfo, logout or PAR endpoint. */
function _metadata(issuer: string, scopes: readonly string[]): Record<string, unknown> {
  const algs = [..._CLIENT_AUTH_ALGS];
  return {
    issuer,
    token_endpoint: `${issuer}${SANDBOX_OAUTH_PATHS.token}`,
    jwks_uri: `${issuer}${SANDBOX_OAUTH_PATHS.jwks}`,
    introspection_endpoint: `${issuer}${SANDBOX_OAUTH_PATHS.introspection}`,
    grant_types_supported: ['client_credentials'],
    response_types_supported: [],
    scopes_supported: [...scopes],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: algs,
    introspection_endpoint_auth_methods_supported: ['private_key_jwt'],
    introspection_endpoint_auth_signing_alg_values_supported: algs,
  };
}

/**
 * Sandbox module `oauth`: the OAuth v5 authorization server of the platform, built on
 * oidc-provider 9. client_credentials with private_key_jwt only (RS256, PS256, ES256, each
 * client pinned to one; assertion `aud` the token endpoint URL, the issuer only with
 * `acceptIssuerAudience`); no end-user flow is advertised or served (other paths 404); the
 * partner's client `partenaire:sandbox:partner:client:confidential` is registered with the
 * public key of the partner's OAuth certificate from the dev PKI (also under the PKI's own
 * partner id), with the default scopes SANDBOX_SCOPES and, on request, the eBox publication scope
 * (SANDBOX_ON_REQUEST_SCOPES). Token endpoint `/REST/oauth/v5/token`, RFC 8414 metadata, introspection, JWKS.
 * oidc-provider works on real time: assertion and token times use the system clock, not ctx.clock.
 */
export function oauthModule(options: OAuthModuleOptions = {}): SandboxModule {
  const {
    accessTokenTtlSeconds = 3600,
    accessTokenFormat = 'jwt',
    clockToleranceSeconds = 5,
    acceptIssuerAudience = false,
    extraScopes = [],
  } = options;
  if (extraScopes.some((s) => typeof s !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/.test(s))) {
    throw new TypeError('oauthModule: extraScopes are RFC 6749 scope tokens');
  }
  const scopes = [...new Set([...ALL_SCOPES, ...extraScopes])];
  if (!Number.isInteger(accessTokenTtlSeconds) || accessTokenTtlSeconds < 1) {
    throw new TypeError('oauthModule: accessTokenTtlSeconds must be a positive integer');
  }
  if (accessTokenFormat !== 'jwt' && accessTokenFormat !== 'opaque') {
    throw new TypeError('oauthModule: accessTokenFormat is "jwt" or "opaque"');
  }
  return {
    name: 'oauth',
    ports: { https: 44 },
    async start(ctx): Promise<StartedSandboxModule> {
      const stats = {
        requests: 0,
        tokenRequests: 0,
        tokensIssued: 0,
        tokensRefused: 0,
        introspections: 0,
        notServed: 0,
      };
      let metadata: Record<string, unknown> = {};
      let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
      const server = createServer(
        { key: ctx.pki.server.keyPem, cert: ctx.pki.server.certPem, minVersion: 'TLSv1.2' },
        (req, res) => {
          ctx.journal?.observe('oauth', req, res);
          stats.requests++;
          const path = (req.url ?? '').split('?')[0];
          if (req.method === 'POST' && path === SANDBOX_OAUTH_PATHS.token) stats.tokenRequests++;
          if (req.method === 'POST' && path === SANDBOX_OAUTH_PATHS.introspection) stats.introspections++;
          if (handler === undefined) {
            res.writeHead(503).end();
            return;
          }
          if (req.method === 'GET' && path === SANDBOX_OAUTH_PATHS.metadata) {
            _sendJson(res, 200, metadata);
            return;
          }
          if (!_ROUTES.has(`${req.method} ${path}`)) {
            stats.notServed++;
            ctx.log.info(
              { method: req.method, path: path?.slice(0, 200), reason: 'not served' },
              'oauth request refused',
            );
            _sendJson(res, 404, {
              error: 'invalid_request',
              error_description: 'not served: this server only issues client_credentials tokens',
            });
            return;
          }
          handler(req, res);
        },
      );
      const port = await listenRole(ctx, server, 'https', (error) =>
        ctx.log.debug({ reason: error.message }, 'oauth TLS handshake failed'),
      );
      const issuer = listenerUrl('https', ctx.host, port);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const signing: JWK = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256' };
      signing.kid = await calculateJwkThumbprint(signing);
      const allScopes = scopes.join(' ');
      const partnerJwk = _publicJwk(ctx.pki.partner.oauth.certificate);
      const partnerAlg = _clientAlg(ctx.pki.partner.oauth.certificate, undefined);
      const partner = { jwk: partnerJwk, alg: partnerAlg, scope: allScopes };
      // Fault `oauth-client-unknown`: access management never registered the partner's client.
      const partnerIds = ctx.faults?.has('oauth-client-unknown')
        ? []
        : [...new Set([SANDBOX_OAUTH_CLIENT_ID, ctx.pki.partner.oauthClientId])];
      const clients = [
        ...partnerIds.map((clientId) => ({ clientId, ...partner })),
        ...(options.clients ?? []).map((c) => ({
          clientId: c.clientId,
          jwk: _publicJwk(c.certificate),
          alg: _clientAlg(c.certificate, c.alg),
          scope: c.scope ?? allScopes,
        })),
      ];
      metadata = _metadata(issuer, scopes);
      const provider = await _createProvider({
        issuer,
        clients,
        signingJwk: signing,
        accessTokenTtlSeconds,
        accessTokenFormat,
        clockToleranceSeconds,
        acceptIssuerAudience,
        scopes,
        onRequestScopes: scopes.filter((s) => !(SANDBOX_SCOPES as readonly string[]).includes(s)),
        log: ctx.log,
      });
      provider.on('grant.success', () => {
        stats.tokensIssued++;
      });
      const refused = (event: string) => (koa: unknown, error: unknown) => {
        const e = error as OIDCProviderError;
        if (event === 'grant.error') stats.tokensRefused++;
        const req = (koa as { req?: IncomingMessage } | undefined)?.req;
        if (req !== undefined)
          ctx.journal?.note(req, { fault: e.error, reason: e.error_detail ?? e.error_description });
        // The precise reason (error_detail) goes to the sandbox log only; it never holds the assertion.
        ctx.log.info(
          { event, error: e.error, reason: e.error_detail ?? e.error_description },
          'oauth request refused',
        );
      };
      provider.on('grant.error', refused('grant.error'));
      provider.on('introspection.error', refused('introspection.error'));
      provider.on('server_error', (_c: unknown, error: unknown) =>
        ctx.log.error({ reason: String((error as Error)?.message) }, 'oauth server error'),
      );
      handler = provider.callback();
      const endpoints = {
        'oauth.token': `${issuer}${SANDBOX_OAUTH_PATHS.token}`,
        'oauth.metadata': `${issuer}${SANDBOX_OAUTH_PATHS.metadata}`,
        'oauth.introspection': `${issuer}${SANDBOX_OAUTH_PATHS.introspection}`,
        'oauth.jwks': `${issuer}${SANDBOX_OAUTH_PATHS.jwks}`,
      };
      ctx.log.info({ issuer, clients: clients.map((c) => c.clientId) }, 'oauth server listening');
      return {
        endpoints,
        info: {
          issuer,
          clientIds: clients.map((c) => c.clientId),
          scopes,
          defaultScopes: [...SANDBOX_SCOPES],
          accessTokenFormat,
          accessTokenTtlSeconds,
          clientAuthentication: 'private_key_jwt (RS256, PS256, ES256; one per client)',
          clientAlgorithms: Object.fromEntries(clients.map((c) => [c.clientId, c.alg])),
          assertionAudience: acceptIssuerAudience ? 'endpoint URL or issuer' : 'endpoint URL',
        },
        stats: () => ({ ...stats }),
        clientConfig: { oauth: { clientId: SANDBOX_OAUTH_CLIENT_ID } },
        close: () => closeServer(server),
      };
    },
  };
}
