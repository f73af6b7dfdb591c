import type { Credential } from '../pki/credential.ts';
import { ASSERTION_ALGORITHMS, type AssertionAlgorithm } from './types.ts';

/** The algorithm a key can sign with: RS256 (default) or PS256 for RSA, ES256 for EC P-256. */
export function _assertionAlgorithm(
  credential: Credential,
  alg: AssertionAlgorithm | undefined,
): AssertionAlgorithm {
  if (alg !== undefined && !ASSERTION_ALGORITHMS.includes(alg)) {
    throw new TypeError(`client assertion: alg must be one of ${ASSERTION_ALGORITHMS.join(', ')}`);
  }
  if (credential.keyKind === 'ec') {
    const curve = credential.privateKey.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1')
      throw new TypeError(`client assertion: EC keys must be P-256 (got ${String(curve)})`);
    if (alg !== undefined && alg !== 'ES256')
      throw new TypeError(`client assertion: an EC key signs ES256, not ${alg}`);
    return 'ES256';
  }
  if (alg === 'ES256') throw new TypeError('client assertion: an RSA key signs RS256 or PS256, not ES256');
  return alg ?? 'RS256';
}
