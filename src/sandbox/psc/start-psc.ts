import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.ts';
import type { SandboxJournal } from '../module.ts';
import { _discovery, type _EndpointContext, _introspect, _login, _userinfo } from './_endpoints.ts';
import { _json, _MAX_BODY_BYTES } from './_http.ts';
import { _createPscProvider, _PSC_ROUTES } from './_provider.ts';
import { _loadPscState } from './_state.ts';
import { _TokenService } from './_tokens.ts';
import {
  DEFAULT_PSC_PROFESSIONALS,
  PSC_DISCOVERY_PATH,
  PSC_REALM_PATH,
  type PscProfessional,
  SANDBOX_PSC_CLIENT_ID,
} from './professionals.ts';

/** A client registered with the stub. */
export interface PscClient {
  readonly clientId: string;
  /** Confidential client (client_secret_basic or _post); absent: public client (PKCE only). */
  readonly clientSecret?: string;
  /** Exact redirect URIs; absent: any http loopback redirect, any port (RFC 8252 §7.3). */
  readonly redirectUris?: readonly string[];
}

export interface PscStubOptions {
  readonly host: string;
  /**
   * The name clients reach the stub at, in the issuer and every endpoint URL (its TLS
   * certificate must carry it); default `host`, or localhost when `host` is every interface.
   */
  readonly publicHost?: string;
  /** 0: an ephemeral port. */
  readonly port: number;
  readonly tls: { readonly key: string; readonly cert: string };
  readonly log: Logger;
  /** Where the signing key (and the default introspection secret) persist, 0600. */
  readonly stateDir: string;
  readonly professionals?: readonly PscProfessional[];
  /** The sandbox's exchange journal: each request and reply, secrets redacted, in the console. */
  readonly journal?: SandboxJournal | undefined;
  /** Default 300. */
  readonly accessTokenSeconds?: number;
  /** Default 1800. */
  readonly refreshTokenSeconds?: number;
  /** Default: SANDBOX_PSC_CLIENT_ID, public, any loopback redirect. */
  readonly clients?: readonly PscClient[];
  /** The operator's introspection credentials; default `mss-operator` with a secret kept in stateDir. */
  readonly introspectionClient?: { readonly clientId: string; readonly clientSecret: string };
  /**
   * Extra routes outside the realm (the conformance application's admin API): called first for
   * every request whose path does not start with the realm path; true when it answered.
   */
  readonly extraRoutes?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
}

export interface PscMintOptions {
  readonly rpps: string;
  /** ms since the epoch; default now. */
  readonly issuedAt?: number;
  /** Default accessTokenSeconds. */
  readonly expiresInSeconds?: number;
  /** ms since the epoch (`nbf`); default none. */
  readonly notBefore?: number;
  /** Default eidas1. */
  readonly acr?: string;
}

export interface PscStub {
  /** `https://host:port/auth/realms/esante-wallet`. */
  readonly issuer: string;
  readonly endpoints: {
    readonly authorization: string;
    readonly token: string;
    readonly introspection: string;
    readonly userinfo: string;
    readonly jwks: string;
    /** `<issuer>/.well-known/openid-configuration`. */
    readonly discovery: string;
    /** `<issuer>/.well-known/wallet-openid-configuration` (PSC's path; same document). */
    readonly walletDiscovery: string;
  };
  readonly introspectionClient: { readonly clientId: string; readonly clientSecret: string };
  /** An access token signed by the stub's key, as the token endpoint issues them (tests, the demo's expired token). */
  mintAccessToken(o: PscMintOptions): Promise<string>;
  /** Adds (or replaces) a professional: tokens for them are minted and introspected from now on. */
  registerProfessional(p: PscProfessional): void;
  /** How many introspections answered `active` for the token with this `jti`. */
  introspectionsOf(jti: string): number;
  /** Revokes an access token: introspection says inactive from now on. False if it was not active. */
  revoke(accessToken: string): Promise<boolean>;
  stats(): Record<string, number>;
  close(): Promise<void>;
}

const _positive = (name: string, v: number) => {
  if (!Number.isInteger(v) || v < 1) throw new TypeError(`startPscStub: ${name} must be a positive integer`);
  return v;
};

/**
 * Starts the sandbox's Pro Santé Connect: an OpenID Connect provider (oidc-provider 9) below
 * the Keycloak realm path `/auth/realms/esante-wallet`, over TLS ≥ 1.2:
 * - discovery at `<issuer>/.well-known/openid-configuration` and PSC's
 *   `<issuer>/.well-known/wallet-openid-configuration` (one document, absolute URLs);
 * - authorization code flow only, PKCE S256 required, `acr_values` must allow eidas1 (tokens
 *   carry `acr: eidas1`), scopes `openid scope_all`, refresh tokens (refreshTokenSeconds);
 * - a test login page (`<issuer>/login/<uid>`) listing the professionals: one click logs in
 *   and consents; `driveSandboxLogin` does the same without a browser;
 * - Keycloak-like JWT access tokens (RS256; iss, sub = preferred_username = RPPS, acr, azp,
 *   scope, exp, iat, auth_time, jti, typ Bearer) verified by the stub's own userinfo and
 *   introspection. Introspection (POST `token=`, HTTP Basic with the introspection client)
 *   also answers `email`, the professional's first mailbox: a sandbox convenience (PSC does
 *   not promise it) so an operator's server (Dovecot's `username_attribute`) can match the
 *   XOAUTH2 `user=`, the mailbox address.
 * The signing key persists in stateDir (psc-stub.json, 0600): access tokens stay valid across a
 * restart on the same host and port; sessions, codes and refresh tokens live in memory and do
 * not. Tokens use the system clock. Unknown paths answer 404; POST bodies are bounded (32 KiB).
 */
export async function startPscStub(options: PscStubOptions): Promise<PscStub> {
  const accessTokenSeconds = _positive('accessTokenSeconds', options.accessTokenSeconds ?? 300);
  const refreshTokenSeconds = _positive('refreshTokenSeconds', options.refreshTokenSeconds ?? 1800);
  const list = options.professionals ?? DEFAULT_PSC_PROFESSIONALS;
  const professionals = new Map(list.map((p) => [p.rpps, p]));
  const clients = options.clients ?? [{ clientId: SANDBOX_PSC_CLIENT_ID }];
  if (clients.length === 0) throw new TypeError('startPscStub: at least one client');
  const state = await _loadPscState(options.stateDir);
  const introspectionClient = options.introspectionClient ?? {
    clientId: 'mss-operator',
    clientSecret: state.introspectionSecret,
  };
  const { log } = options;
  const stats: Record<string, number> = Object.fromEntries(
    [
      'requests',
      'notFound',
      'logins',
      'tokensIssued',
      'tokensRefused',
      'introspections',
      'introspectionsActive',
      'introspectionsInactive',
      'introspectionsUnauthorized',
      'userinfo',
    ].map((k) => [k, 0]),
  );
  let handle: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer(
    { key: options.tls.key, cert: options.tls.cert, minVersion: 'TLSv1.2', maxHeaderSize: 16 * 1024 },
    (req, res) => {
      options.journal?.observe('psc', req, res);
      stats['requests'] = (stats['requests'] ?? 0) + 1;
      if (handle === undefined) return void res.writeHead(503).end();
      handle(req, res).catch((e: unknown) => {
        log.error({ reason: String((e as Error)?.message).slice(0, 300) }, 'psc stub error');
        if (!res.headersSent) _json(res, 500, { error: 'server_error' });
        else res.destroy();
      });
    },
  );
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.on('tlsClientError', (e: Error) => log.debug({ reason: e.message }, 'psc TLS handshake failed'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host =
    options.publicHost ??
    (options.host === '0.0.0.0' || options.host === '::' || options.host === '' ? 'localhost' : options.host);
  const origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const issuer = `${origin}${PSC_REALM_PATH}`;
  const tokens = new _TokenService(state.signingJwk, issuer, (rpps) => professionals.has(rpps));
  let provider: Awaited<ReturnType<typeof _createPscProvider>>;
  try {
    provider = await _createPscProvider({
      issuer,
      realmPath: PSC_REALM_PATH,
      clients,
      professionals,
      signingJwk: state.signingJwk,
      cookieKeys: state.cookieKeys,
      accessTokenSeconds,
      refreshTokenSeconds,
      tokens,
      log,
    });
  } catch (e) {
    server.close();
    throw e;
  }
  provider.on('grant.success', () => {
    stats['tokensIssued'] = (stats['tokensIssued'] ?? 0) + 1;
  });
  for (const event of ['grant.error', 'authorization.error', 'server_error']) {
    provider.on(event, (_ctx: unknown, error: unknown) => {
      const e = error as {
        error?: string;
        error_description?: string;
        error_detail?: string;
        message?: string;
      };
      if (event === 'grant.error') stats['tokensRefused'] = (stats['tokensRefused'] ?? 0) + 1;
      log.info(
        { event, error: e.error, reason: e.error_detail ?? e.error_description ?? e.message },
        'psc request refused',
      );
    });
  }
  const oidc = provider.callback();
  const introspected = new Map<string, number>();
  const discovery = _discovery(issuer);
  const ctx: _EndpointContext = {
    issuer,
    realmPath: PSC_REALM_PATH,
    provider,
    tokens,
    professionals,
    introspectionClient,
    stats,
    introspected,
    log,
  };
  const forward: ReadonlySet<string> = new Set([
    `GET ${_PSC_ROUTES.authorization}`,
    `POST ${_PSC_ROUTES.authorization}`,
    `POST ${_PSC_ROUTES.token}`,
    `GET ${_PSC_ROUTES.jwks}`,
  ]);
  handle = async (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const local = path.startsWith(`${PSC_REALM_PATH}/`) ? path.slice(PSC_REALM_PATH.length) : undefined;
    const route = `${req.method} ${local}`;
    if (local === undefined && options.extraRoutes && (await options.extraRoutes(req, res, path))) return;
    if (route === `GET /.well-known/openid-configuration` || route === `GET ${PSC_DISCOVERY_PATH}`)
      return _json(res, 200, discovery);
    if (route === `POST ${_PSC_ROUTES.introspection}`) return _introspect(ctx, req, res);
    if (route === `GET ${_PSC_ROUTES.userinfo}` || route === `POST ${_PSC_ROUTES.userinfo}`)
      return _userinfo(ctx, req, res);
    const uid = local?.startsWith(_PSC_ROUTES.login) ? local.slice(_PSC_ROUTES.login.length) : undefined;
    if (uid !== undefined && /^[\w-]{1,64}$/.test(uid) && (req.method === 'GET' || req.method === 'POST'))
      return _login(ctx, uid, req, res);
    const resume = local?.startsWith(`${_PSC_ROUTES.authorization}/`) && req.method === 'GET';
    if (local !== undefined && (forward.has(route) || resume)) {
      if (req.method === 'POST' && Number(req.headers['content-length'] ?? 0) > _MAX_BODY_BYTES) {
        res.shouldKeepAlive = false;
        return _json(res, 413, { error: 'invalid_request', error_description: 'request body too large' });
      }
      // oidc-provider is mounted at the realm: it sees the path below it, and the mount in originalUrl.
      Object.assign(req, { originalUrl: url, url: url.slice(PSC_REALM_PATH.length) });
      oidc(req, res);
      return;
    }
    stats['notFound'] = (stats['notFound'] ?? 0) + 1;
    req.resume();
    _json(res, 404, { error: 'not_found' });
  };
  const at = (p: string) => `${issuer}${p}`;
  log.info({ issuer, clients: clients.map((c) => c.clientId) }, 'psc stub listening');
  return {
    issuer,
    endpoints: {
      authorization: at(_PSC_ROUTES.authorization),
      token: at(_PSC_ROUTES.token),
      introspection: at(_PSC_ROUTES.introspection),
      userinfo: at(_PSC_ROUTES.userinfo),
      jwks: at(_PSC_ROUTES.jwks),
      discovery: at('/.well-known/openid-configuration'),
      walletDiscovery: at(PSC_DISCOVERY_PATH),
    },
    introspectionClient: { ...introspectionClient },
    mintAccessToken: (o) =>
      tokens.mint({
        rpps: o.rpps,
        clientId: clients[0]?.clientId ?? SANDBOX_PSC_CLIENT_ID,
        expiresInSeconds: o.expiresInSeconds ?? accessTokenSeconds,
        ...(o.issuedAt === undefined ? {} : { issuedAt: o.issuedAt }),
        ...(o.notBefore === undefined ? {} : { notBefore: o.notBefore }),
        ...(o.acr === undefined ? {} : { acr: o.acr }),
      }),
    registerProfessional: (p) => {
      professionals.set(p.rpps, p);
    },
    introspectionsOf: (jti) => introspected.get(jti) ?? 0,
    revoke: (token) => tokens.revoke(token),
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
