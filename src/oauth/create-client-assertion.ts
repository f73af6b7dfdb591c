import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Clock, systemClock } from '../clock.ts';
import type { Credential } from '../pki/credential.ts';
import { checkCredentialValidity } from '../pki/credential-validity.ts';
import { _assertionAlgorithm } from './_assertion-alg.ts';
import type { AssertionAlgorithm } from './types.ts';

/** RFC 7523 §2.2 client assertion type. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** PROTOCOLS.md §6: an assertion lives at most 5 minutes. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

export interface CreateClientAssertionOptions {
  readonly credential: Credential;
  readonly clientId: string;
  /** The token endpoint URL (default of the platform) or the issuer (older versions). */
  readonly audience: string;
  /** Default: RS256 for an RSA key, ES256 for an EC P-256 key. */
  readonly alg?: AssertionAlgorithm;
  /** Seconds; default 90, at most 300. */
  readonly lifetimeSeconds?: number;
  /** `kid` header: a given value, or `true` for the certificate's SHA-256 thumbprint (base64url). */
  readonly kid?: string | true;
  /** Adds the `x5t#S256` header (certificate thumbprint). */
  readonly x5tS256?: boolean;
  readonly clock?: Clock;
  /** Default: a random UUID. */
  readonly jti?: string;
}

/**
 * A private_key_jwt client assertion (RFC 7523, PROTOCOLS.md §6): `iss = sub = clientId`, the
 * given `aud`, a random `jti`, `iat` now and `exp` at most 5 minutes later, signed with the
 * registered certificate's key (refused with ERR_PKI_CREDENTIAL_* when its certificate is outside
 * its validity period). The result is a secret: never log it.
 */
export async function createClientAssertion(options: CreateClientAssertionOptions): Promise<string> {
  const { credential, clientId, audience, clock = systemClock, lifetimeSeconds = 90 } = options;
  if (clientId.length === 0) throw new TypeError('client assertion: clientId is empty');
  if (audience.length === 0) throw new TypeError('client assertion: audience is empty');
  if (
    !Number.isInteger(lifetimeSeconds) ||
    lifetimeSeconds < 1 ||
    lifetimeSeconds > MAX_ASSERTION_LIFETIME_SECONDS
  ) {
    throw new TypeError(`client assertion: lifetimeSeconds must be 1..${MAX_ASSERTION_LIFETIME_SECONDS}`);
  }
  checkCredentialValidity(credential, { clock, role: 'oauth' });
  const alg = _assertionAlgorithm(credential, options.alg);
  const thumbprint = createHash('sha256').update(credential.certificate.raw).digest('base64url');
  const header: { alg: AssertionAlgorithm; typ: 'JWT'; kid?: string; 'x5t#S256'?: string } = {
    alg,
    typ: 'JWT',
  };
  if (options.kid !== undefined) header.kid = options.kid === true ? thumbprint : options.kid;
  if (options.x5tS256 === true) header['x5t#S256'] = thumbprint;
  const iat = Math.floor(clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader(header)
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(options.jti ?? randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(credential.privateKey);
}
