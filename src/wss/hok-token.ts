/**
 * A SAML holder-of-key token as the message signer needs it: the assertion exactly as the STS
 * sent it and the names it relies on. Produced by `passerelle/sts` (requestToken, the cache).
 */
export interface HokToken {
  /** The assertion element's exact text as received: these characters go on the wire unchanged. */
  readonly assertionXml: string;
  readonly assertionId: string;
  /**
   * Namespace declarations the assertion inherited from the response it was cut from (prefix →
   * URI, '' for the default namespace): redeclared on wsse:Security so the embedded assertion
   * means the same thing. Empty for the eHealth STS, whose assertions declare their namespaces.
   */
  readonly inheritedNamespaces?: Readonly<Record<string, string>>;
}
