import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { safeText } from '../transport/safe-text.ts';
import { assertSecureEnvironment } from '../transport/secure-environment.ts';
import { _oauthErrorOf, _pscError } from './_psc-errors.ts';
import { _tokensFromResponse, _unverifiedClaims } from './_psc-tokens.ts';
import type { PscTokens } from './psc-tokens.ts';

export type { PscTokens } from './psc-tokens.ts';
export { tokensFromAccessToken } from './psc-tokens.ts';

/** PSC's discovery document path below the issuer (PROTOCOLS.md §9). */
export const PSC_DEFAULT_DISCOVERY_PATH = '/.well-known/wallet-openid-configuration';
export const PSC_DEFAULT_SCOPE = 'openid scope_all';
/** PSC's broker supports eidas1 only. */
export const PSC_DEFAULT_ACR_VALUES = 'eidas1';

export interface DiscoverPscOptions {
  /** `https://…/auth/realms/esante-wallet`; the discovery document must name exactly this issuer. */
  readonly issuer: string;
  readonly clientId: string;
  /** The client secret (client_secret_basic), already read from its SecretRef; none: a public client. */
  readonly clientSecret?: string | undefined;
  readonly discoveryPath?: string | undefined;
  readonly scope?: string | undefined;
  readonly acrValues?: string | undefined;
  /** PEM bundle trusted for PSC's server certificate (instead of the system's CAs). */
  readonly ca?: string | undefined;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number | undefined;
  /** Token times (expiresAt, loggedInAt) and ID token checks; default the system clock. */
  readonly clock?: Clock | undefined;
}

/** One authorization request: keep it until the redirect comes back (exchangeCode checks it). */
export interface PscAuthorizationRequest {
  /** Where the browser goes. */
  readonly url: string;
  readonly redirectUri: string;
  readonly state: string;
  /** The PKCE verifier (S256); secret until the code exchange. */
  readonly codeVerifier: string;
  readonly nonce: string;
  /** The `acr_values` asked for: the ID token's `acr` must be one of them. */
  readonly acrValues: string;
}

export interface PscClient {
  readonly issuer: string;
  readonly clientId: string;
  /** A new authorization code request (PKCE S256, state, nonce, scope, acr_values). */
  authorizationRequest(redirectUri: string): PscAuthorizationRequest;
  /**
   * Exchanges the code of the redirect `callbackUrl` (the full URL the browser came back to):
   * state, PKCE, nonce and the ID token's `acr` are checked (ERR_MSS_LOGIN_FAILED otherwise).
   */
  exchangeCode(callbackUrl: string | URL, request: PscAuthorizationRequest): Promise<PscTokens>;
  /** New tokens from the refresh token; ERR_MSS_TOKEN_EXPIRED when it is missing, expired or refused. */
  refresh(tokens: PscTokens): Promise<PscTokens>;
  /** Closes the connections (the TLS agent). */
  close(): Promise<void>;
}

function _fail(message: string, details: Record<string, string>, cause?: unknown): never {
  throw new PasserelleError('ERR_MSS_PSC', message, { details, ...(cause === undefined ? {} : { cause }) });
}

const _normalize = (url: string): string => url.replace(/\/+$/, '');

async function _readDiscovery(url: URL, issuer: string, fetchFn: oidc.CustomFetch, timeoutMs: number) {
  const host = url.host;
  let response: Response;
  try {
    response = (await fetchFn(url.href, {
      method: 'GET',
      headers: { accept: 'application/json' },
      body: undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })) as Response;
  } catch (cause) {
    throw _pscError(cause, 'discovery', host);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    _fail(`The PSC discovery document answered HTTP ${response.status}`, {
      step: 'discovery',
      host,
      status: String(response.status),
    });
  }
  let doc: unknown;
  try {
    doc = await response.json();
  } catch (cause) {
    _fail('The PSC discovery document is not JSON', { step: 'discovery', host }, cause);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    _fail('The PSC discovery document is not a JSON object', { step: 'discovery', host });
  }
  const meta = doc as oidc.ServerMetadata;
  if (typeof meta.issuer !== 'string' || _normalize(meta.issuer) !== _normalize(issuer)) {
    _fail('The PSC discovery document names another issuer', {
      step: 'discovery',
      host,
      issuer: safeText(meta.issuer, 200) ?? '(none)',
      expected: issuer,
    });
  }
  for (const field of ['authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof meta[field] !== 'string' || URL.parse(meta[field])?.protocol !== 'https:') {
      _fail(`The PSC discovery document has no https ${field}`, { step: 'discovery', host, field });
    }
  }
  return meta;
}

/**
 * Reads Pro Santé Connect's discovery document (`<issuer><discoveryPath>`, the wallet path by
 * default), checks it names `issuer` and https endpoints, and returns a client for the
 * authorization code flow. TLS 1.2 or later; `ca` replaces the system's CAs. Throws ERR_MSS_PSC,
 * ERR_MSS_TLS or ERR_MSS_TIMEOUT.
 */
export async function discoverPsc(options: DiscoverPscOptions): Promise<PscClient> {
  assertSecureEnvironment();
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const scope = options.scope ?? PSC_DEFAULT_SCOPE;
  const acrValues = options.acrValues ?? PSC_DEFAULT_ACR_VALUES;
  const issuer = options.issuer;
  const discoveryUrl = new URL(_normalize(issuer) + (options.discoveryPath ?? PSC_DEFAULT_DISCOVERY_PATH));
  if (discoveryUrl.protocol !== 'https:') {
    _fail('The PSC issuer must be an https URL', { step: 'discovery', host: discoveryUrl.host });
  }
  const host = discoveryUrl.host;
  const agent = new Agent({
    connect: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    },
  });
  const fetchFn = ((url: string, init: Parameters<oidc.CustomFetch>[1]) =>
    undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as oidc.CustomFetch;
  let config: oidc.Configuration;
  try {
    const meta = await _readDiscovery(discoveryUrl, issuer, fetchFn, timeoutMs);
    config = new oidc.Configuration(
      meta,
      options.clientId,
      // openid-client checks ID token times on the system clock: shift it to `clock`.
      { [oidc.clockSkew]: Math.round((clock.now() - Date.now()) / 1000) },
      options.clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(options.clientSecret),
    );
    config[oidc.customFetch] = fetchFn;
    config.timeout = Math.max(1, Math.ceil(timeoutMs / 1000));
  } catch (error) {
    await agent.close().catch(() => {});
    throw error;
  }

  const authorizationRequest = (redirectUri: string): PscAuthorizationRequest => {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      acr_values: acrValues,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return Object.freeze({ url: url.href, redirectUri, state, codeVerifier, nonce, acrValues });
  };

  const exchangeCode = async (callbackUrl: string | URL, request: PscAuthorizationRequest) => {
    let response: oidc.TokenEndpointResponse;
    try {
      response = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
        pkceCodeVerifier: request.codeVerifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw _pscError(error, 'token', host);
    }
    const acr = _unverifiedClaims(response.id_token)?.['acr'];
    const asked = request.acrValues.split(/\s+/).filter(Boolean);
    if (typeof acr !== 'string' || !asked.includes(acr)) {
      throw new PasserelleError(
        'ERR_MSS_LOGIN_FAILED',
        'Pro Santé Connect did not vouch for the level asked',
        {
          details: {
            reason: 'acr',
            acr: typeof acr === 'string' ? safeText(acr, 50) : null,
            expected: asked,
          },
        },
      );
    }
    return _tokensFromResponse(response, clock.now());
  };

  const refresh = async (tokens: PscTokens): Promise<PscTokens> => {
    const now = clock.now();
    if (tokens.refreshToken === undefined) {
      throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'The session has no refresh token', {
        details: { reason: 'no-refresh-token' },
      });
    }
    if (tokens.refreshExpiresAt !== undefined && tokens.refreshExpiresAt <= now) {
      throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'The refresh token is expired', {
        details: { reason: 'refresh-expired', expiredAt: new Date(tokens.refreshExpiresAt).toISOString() },
      });
    }
    let response: oidc.TokenEndpointResponse;
    try {
      response = await oidc.refreshTokenGrant(config, tokens.refreshToken);
    } catch (error) {
      const oauthError = _oauthErrorOf(error);
      if (oauthError === 'invalid_grant') {
        throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'Pro Santé Connect refused the refresh token', {
          details: { reason: 'refused', error: oauthError, host },
          cause: error,
        });
      }
      throw _pscError(error, 'refresh', host);
    }
    return _tokensFromResponse(response, clock.now(), tokens);
  };

  return Object.freeze({
    issuer,
    clientId: options.clientId,
    authorizationRequest,
    exchangeCode,
    refresh,
    close: () => agent.close(),
  });
}
