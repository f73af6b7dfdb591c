import { createPrivateKey, createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
import { type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** The scope PSC grants (PROTOCOLS.md §9). */
export const _PSC_SCOPE = 'openid scope_all';
/** The only authentication level PSC's broker supports. */
export const _PSC_ACR = 'eidas1';

export interface _MintClaims {
  readonly rpps: string;
  /** ms since the epoch; default now. */
  readonly issuedAt?: number;
  readonly expiresInSeconds: number;
  /** ms since the epoch; sets `nbf` when given. */
  readonly notBefore?: number;
  readonly acr?: string;
  readonly clientId: string;
  readonly scope?: string;
  /** seconds since the epoch; default `iat`. */
  readonly authTime?: number;
}

/** The verified claims of an access token the stub considers active. */
export type _ActiveClaims = JWTPayload & {
  readonly sub: string;
  readonly jti: string;
  readonly exp: number;
  readonly iat: number;
  readonly preferred_username: string;
};

/**
 * Keycloak-like JWT access tokens (RS256, header `typ: JWT`, claim `typ: Bearer`) signed with
 * the stub's key, and their verification for introspection and userinfo: signature by this
 * key, issuer, `exp`/`nbf` against the current time (no leeway), the `Bearer` type, a known
 * professional, and not revoked.
 */
export class _TokenService {
  readonly #key: KeyObject;
  readonly #publicKey: KeyObject;
  readonly #kid: string;
  readonly #issuer: string;
  readonly #known: (rpps: string) => boolean;
  /** Revoked `jti` → its `exp` (s); pruned once expired. */
  readonly #revoked = new Map<string, number>();

  constructor(signingJwk: JWK, issuer: string, known: (rpps: string) => boolean) {
    this.#key = createPrivateKey({ key: signingJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    this.#publicKey = createPublicKey(this.#key);
    this.#kid = String(signingJwk.kid);
    this.#issuer = issuer;
    this.#known = known;
  }

  async mint(c: _MintClaims): Promise<string> {
    const iat = Math.floor((c.issuedAt ?? Date.now()) / 1000);
    const claims: JWTPayload = {
      exp: iat + c.expiresInSeconds,
      iat,
      auth_time: c.authTime ?? iat,
      jti: randomUUID(),
      iss: this.#issuer,
      sub: c.rpps,
      typ: 'Bearer',
      azp: c.clientId,
      scope: c.scope ?? _PSC_SCOPE,
      acr: c.acr ?? _PSC_ACR,
      preferred_username: c.rpps,
    };
    if (c.notBefore !== undefined) claims.nbf = Math.floor(c.notBefore / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.#kid })
      .sign(this.#key);
  }

  /** The claims when `token` is active now, else undefined (never throws on a bad token). */
  async verify(token: string): Promise<_ActiveClaims | undefined> {
    const checked = await this.check(token);
    return 'claims' in checked ? checked.claims : undefined;
  }

  /** As `verify`, with the reason of an inactive token (for the log: never the token itself). */
  async check(token: string): Promise<{ claims: _ActiveClaims } | { reason: string }> {
    if (token.length === 0 || token.length > 16_384) return { reason: 'malformed' };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#publicKey, {
        issuer: this.#issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: 0,
      }));
    } catch (e) {
      const { code, claim } = e as { code?: string; claim?: string };
      if (code === 'ERR_JWT_EXPIRED') return { reason: 'expired' };
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
        return { reason: claim === 'nbf' ? 'not yet valid' : `claim ${claim}` };
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { reason: 'signature' };
      return { reason: 'malformed' };
    }
    const p = payload as Record<string, unknown>;
    if (p['typ'] !== 'Bearer') return { reason: 'not a Bearer token' };
    if (typeof p['preferred_username'] !== 'string' || p['preferred_username'] !== payload.sub)
      return { reason: 'preferred_username' };
    if (!this.#known(p['preferred_username'])) return { reason: 'unknown professional' };
    if (this.#revoked.has(String(payload.jti))) return { reason: 'revoked' };
    return { claims: payload as _ActiveClaims };
  }

  /** Revokes an active token; false when it was not active (nothing to revoke). */
  async revoke(token: string): Promise<boolean> {
    const claims = await this.verify(token);
    if (claims === undefined) return false;
    const now = Date.now() / 1000;
    for (const [jti, exp] of this.#revoked) if (exp < now) this.#revoked.delete(jti);
    this.#revoked.set(claims.jti, claims.exp);
    return true;
  }
}
