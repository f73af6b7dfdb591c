import type { HokToken } from '../wss/hok-token.ts';

/** A SAML holder-of-key token from the STS. `assertionXml` is a credential: never log or print it. */
export interface StsToken extends HokToken {
  readonly issuer: string;
  /** The NameIdentifier of the subject (the holder's certificate DN). */
  readonly subject: string;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
  /** SHA-256 fingerprint of the holder-of-key certificate the token is bound to. */
  readonly holderFingerprint256: string;
  /** The claims it was requested with (cache key). */
  readonly claims: readonly string[];
}

/** Secret-free facts about a token, for display and `--json`. */
export interface StsTokenSummary {
  readonly assertionId: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notOnOrAfter: string;
  readonly holderFingerprint256: string;
  readonly claims: readonly string[];
}
