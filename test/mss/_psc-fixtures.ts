import type { PscTokens } from '../../src/mss/psc-tokens.ts';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** An unsigned-looking JWT (the signature is junk): what tokensFromAccessToken reads without verifying. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${Buffer.from('sig').toString('base64url')}`;
}

/** Tokens logged in at `now`, the access token expiring `ttlMs` later, with a refresh token. */
export function sampleTokens(now: number, ttlMs = 120_000, extra: Partial<PscTokens> = {}): PscTokens {
  return {
    accessToken: unsignedJwt({ exp: Math.floor((now + ttlMs) / 1000), n: 0 }),
    refreshToken: 'refresh-0',
    expiresAt: now + ttlMs,
    refreshExpiresAt: now + 30 * 60_000,
    rpps: '10001234565',
    acr: 'eidas1',
    loggedInAt: now,
    ...extra,
  };
}
