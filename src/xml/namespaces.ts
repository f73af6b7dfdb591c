/** Namespace URIs used across the SOAP and WS-Security layers (exact strings, compared verbatim). */
export const NS = Object.freeze({
  /** SOAP 1.1 envelope. */
  soapenv: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** WS-Security 1.0 secext. */
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  /** WS-Security 1.1 secext (TokenType on SecurityTokenReference). */
  wsse11: 'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
  /** WS-Security utility (wsu:Id, wsu:Timestamp). */
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  /** XML Signature. */
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  /** Exclusive canonicalisation (InclusiveNamespaces). */
  ec: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  /** SAML 1.x assertion. */
  saml1: 'urn:oasis:names:tc:SAML:1.0:assertion',
  /** Bound to the `xmlns` prefix by definition. */
  xmlns: 'http://www.w3.org/2000/xmlns/',
  /** Bound to the `xml` prefix by definition. */
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const);

export type NamespaceName = keyof typeof NS;
