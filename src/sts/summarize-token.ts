import type { StsToken, StsTokenSummary } from './types.ts';

/** A token as printed: no assertion, no key. */
export function summarizeToken(t: StsToken): StsTokenSummary {
  return {
    assertionId: t.assertionId,
    issuer: t.issuer,
    subject: t.subject,
    notBefore: t.notBefore.toISOString(),
    notOnOrAfter: t.notOnOrAfter.toISOString(),
    holderFingerprint256: t.holderFingerprint256,
    claims: [...t.claims],
  };
}
