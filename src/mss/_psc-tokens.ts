import { decodeJwt } from 'jose';
import type { PscTokens } from './psc-tokens.ts';

/** The claims of a JWT, read without verification; undefined when `token` is not a JWT. */
export function _unverifiedClaims(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined || token.split('.').length !== 3) return undefined;
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const _str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The claims Passerelle keeps from a token: `preferred_username` and `acr`. */
export function _identityOf(claims: Record<string, unknown> | undefined): { rpps?: string; acr?: string } {
  const rpps = _str(claims?.['preferred_username']);
  const acr = _str(claims?.['acr']);
  return { ...(rpps === undefined ? {} : { rpps }), ...(acr === undefined ? {} : { acr }) };
}

/** The parts of a token endpoint response the session keeps (snake_case as PSC sends them). */
export interface _TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string | undefined;
  readonly id_token?: string | undefined;
  readonly expires_in?: number | undefined;
  readonly [key: string]: unknown;
}

/**
 * PscTokens from a token response received at `now`. `previous` (a refresh) keeps the login
 * time, and the refresh token, ID token and identity that the response does not renew.
 */
export function _tokensFromResponse(response: _TokenResponse, now: number, previous?: PscTokens): PscTokens {
  const accessClaims = _unverifiedClaims(response.access_token);
  const idClaims = _unverifiedClaims(response.id_token);
  const expiresIn = response.expires_in;
  const exp = accessClaims?.['exp'];
  const expiresAt =
    typeof expiresIn === 'number' && Number.isFinite(expiresIn)
      ? now + expiresIn * 1000
      : typeof exp === 'number'
        ? exp * 1000
        : now + 60_000;
  const refreshIn = response['refresh_expires_in'];
  const renewedRefresh = response.refresh_token !== undefined && response.refresh_token !== '';
  const refreshToken = renewedRefresh ? response.refresh_token : previous?.refreshToken;
  const refreshExpiresAt =
    renewedRefresh && typeof refreshIn === 'number' && refreshIn > 0
      ? now + refreshIn * 1000
      : renewedRefresh
        ? undefined
        : previous?.refreshExpiresAt;
  const idToken = response.id_token ?? previous?.idToken;
  const identity = { ..._identityOf(accessClaims), ..._identityOf(idClaims) };
  const rpps = identity.rpps ?? previous?.rpps;
  const acr = identity.acr ?? previous?.acr;
  return Object.freeze({
    accessToken: response.access_token,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(idToken === undefined ? {} : { idToken }),
    expiresAt,
    ...(refreshExpiresAt === undefined ? {} : { refreshExpiresAt }),
    ...(rpps === undefined ? {} : { rpps }),
    ...(acr === undefined ? {} : { acr }),
    loggedInAt: previous?.loggedInAt ?? now,
  });
}
