import type { X509Certificate } from 'node:crypto';

/** One saml:Attribute of an AttributeStatement. */
export interface SamlAttribute {
  readonly name: string;
  readonly namespace: string;
  readonly values: readonly string[];
}

/** What a SAML 1.1 assertion says, as read by `readAssertion` (nothing verified yet). */
export interface AssertionInfo {
  readonly assertionId: string;
  readonly issuer: string;
  readonly issueInstant: Date;
  /** The NameIdentifier of the subject (the same in every statement). */
  readonly subject: string;
  readonly subjectFormat: string | undefined;
  readonly conditions: { readonly notBefore: Date; readonly notOnOrAfter: Date };
  readonly authenticationMethod: string | undefined;
  readonly attributes: readonly SamlAttribute[];
}

/** The parts of an assertion that carry keys: not for display. */
export interface AssertionKeys {
  /** The certificate of the holder-of-key SubjectConfirmation (the same in every statement). */
  readonly confirmationCertificate: X509Certificate;
}
