import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { _identityOf, _unverifiedClaims } from './_psc-tokens.ts';

/**
 * The tokens of one Pro Santé Connect login, as kept by the session and the token file. Times
 * are milliseconds since the epoch. `loggedInAt` is the login time (the 4-hour MSSanté rule
 * counts from it); refreshes keep it.
 */
export interface PscTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** When the access token expires. */
  readonly expiresAt: number;
  /** When the refresh token expires, when PSC said so (`refresh_expires_in`). */
  readonly refreshExpiresAt?: number;
  /** The professional's national id (`preferred_username`). */
  readonly rpps?: string;
  /** The authentication level PSC vouched for (`acr` of the ID token). */
  readonly acr?: string;
  readonly loggedInAt: number;
}

/**
 * Tokens for an access token handed in by the application (`--token-file`, an API caller): its
 * `exp` and `preferred_username` are read WITHOUT verifying the signature (the operator verifies
 * it; Passerelle only needs to know when not to send it). No refresh is possible: the session
 * works until the token expires. A token that is not a JWT with a numeric `exp`, or that is
 * already expired at `clock`'s time, is refused with ERR_MSS_TOKEN_EXPIRED.
 */
export function tokensFromAccessToken(token: string, clock: Clock): PscTokens {
  const accessToken = token.trim();
  const claims = _unverifiedClaims(accessToken);
  if (claims === undefined) {
    throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'The token handed in is not a JWT', {
      hint: 'Hand in a Pro Santé Connect access token (a JWT, three base64url parts separated by dots).',
      details: { reason: 'not-a-jwt' },
    });
  }
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'The token handed in has no expiry (exp)', {
      hint: 'Hand in a Pro Santé Connect access token: they carry an `exp` claim.',
      details: { reason: 'no-exp' },
    });
  }
  const expiresAt = exp * 1000;
  const now = clock.now();
  if (expiresAt <= now) {
    throw new PasserelleError('ERR_MSS_TOKEN_EXPIRED', 'The token handed in is already expired', {
      details: { reason: 'expired', expiredAt: new Date(expiresAt).toISOString() },
    });
  }
  const iat = claims['iat'];
  const authTime = claims['auth_time'];
  const loggedInAt =
    typeof authTime === 'number' && authTime * 1000 <= now
      ? authTime * 1000
      : typeof iat === 'number' && iat * 1000 <= now
        ? iat * 1000
        : now;
  return Object.freeze({ accessToken, expiresAt, loggedInAt, ..._identityOf(claims) });
}
