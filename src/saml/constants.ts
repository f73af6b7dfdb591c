/**
 * URIs of SAML 1.1 as the eHealth STS uses it (PROTOCOLS.md §4) and of the WS-Security SAML
 * token profile that carries it in a SOAP message.
 */
export const SAML1 = Object.freeze({
  /** SAML 1.x assertion namespace. */
  ns: 'urn:oasis:names:tc:SAML:1.0:assertion',
  /** The eHealth STS issuer name [seed]. */
  ehealthIssuer: 'urn:be:fgov:ehealth:sts:1_0',
  holderOfKey: 'urn:oasis:names:tc:SAML:1.0:cm:holder-of-key',
  /** AuthenticationMethod of a certificate-authenticated requester [seed]. */
  x509Pki: 'urn:oasis:names:tc:SAML:1.0:am:X509-PKI',
  /** NameIdentifier format the eHealth STS uses for a certificate subject [inferred]. */
  x509SubjectName: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
  /** AttributeNamespace of identification attributes (values asserted by the requester) [inferred]. */
  identificationNamespace: 'urn:be:fgov:identification-namespace',
  /** AttributeNamespace of certified attributes (values the STS vouches for) [inferred]. */
  certifiedNamespace: 'urn:be:fgov:certified-namespace:ehealth',
} as const);

/** WS-Security SAML token profile URIs (KeyInfo of a holder-of-key signed message). */
export const SAML_TOKEN = Object.freeze({
  /** wsse11:TokenType of a SAML 1.1 assertion. */
  tokenTypeV11: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1',
  /** KeyIdentifier ValueType naming an assertion by its AssertionID. */
  assertionIdValueType: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID',
} as const);

/** The two claims an enterprise asks for (PROTOCOLS.md §4). */
export const CBE_CLAIMS: readonly string[] = Object.freeze([
  'urn:be:fgov:kbo-bce:organization:cbe-number',
  'urn:be:fgov:ehealth:1.0:certificateholder:enterprise:cbe-number',
]);
