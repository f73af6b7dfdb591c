import type { SchemaSet } from './schema-set.ts';

/** A qualified name: `ns` is the namespace URI, '' for none. */
export interface QName {
  readonly ns: string;
  readonly name: string;
}

/**
 * What the WS-Policy attached to an operation's input asks of the request:
 * - `x509`: an X.509 token signs it (X509Token, e.g. an AsymmetricBinding's initiator token);
 * - `saml`: a SAML assertion secures it (SamlToken, or an IssuedToken of a SAML token type),
 *   whatever X.509 tokens accompany it (holder-of-key);
 * - `none`: no policy, or one that asks for no message-level token (transport only);
 * - `unknown`: a policy Passerelle cannot classify (another token kind, alternatives that
 *   disagree, a reference to a policy not in the files read).
 */
export type WsdlSecurity = 'x509' | 'saml' | 'none' | 'unknown';

export interface WsdlPolicy {
  readonly security: WsdlSecurity;
  /** The security policy algorithm suite, e.g. `Basic256Sha256` or `Basic256`, when stated. */
  readonly algorithmSuite: string | undefined;
  /** The policies that apply, as referenced: `#Id` for a policy of the files read, `inline` for one written in place. */
  readonly references: readonly string[];
}

export type SoapVersion = '1.1' | '1.2';

export interface WsdlPart {
  readonly name: string;
  /** Document style: the element the part is. */
  readonly element: QName | undefined;
  /** RPC style: the type of the part's accessor element. */
  readonly type: QName | undefined;
}

export interface WsdlMessage {
  readonly name: QName;
  readonly parts: readonly WsdlPart[];
}

export interface WsdlPortTypeOperation {
  readonly name: string;
  readonly input: QName | undefined;
  readonly output: QName | undefined;
  readonly faults: readonly { readonly name: string; readonly message: QName }[];
  readonly documentation: string | undefined;
}

export interface WsdlPortType {
  readonly name: QName;
  readonly operations: readonly WsdlPortTypeOperation[];
}

/** One direction (input or output) of a bound operation. */
export interface WsdlBoundMessage {
  /** The abstract message, when the port type names one. */
  readonly message: QName | undefined;
  /** The parts that travel in the SOAP Body (all parts unless `soap:body parts` lists some). */
  readonly bodyParts: readonly WsdlPart[];
  readonly use: 'literal' | 'encoded';
  /** `soap:body namespace` (the RPC wrapper's namespace). */
  readonly namespace: string | undefined;
}

export interface WsdlBindingOperation {
  readonly name: string;
  readonly soapAction: string;
  readonly style: 'document' | 'rpc';
  readonly input: WsdlBoundMessage | undefined;
  readonly output: WsdlBoundMessage | undefined;
  readonly faults: readonly { readonly name: string; readonly elements: readonly QName[] }[];
  /** The effective policy of the input: the binding's, the operation's and the input's policies together. */
  readonly policy: WsdlPolicy;
  readonly documentation: string | undefined;
}

export interface WsdlBinding {
  readonly name: QName;
  readonly portType: QName;
  readonly soapVersion: SoapVersion;
  readonly style: 'document' | 'rpc';
  readonly transport: string | undefined;
  readonly operations: readonly WsdlBindingOperation[];
}

export interface WsdlPort {
  readonly name: string;
  readonly binding: QName;
  /** `soap:address location`, as written (a placeholder in many published contracts). */
  readonly address: string | undefined;
  readonly soapVersion: SoapVersion;
}

export interface WsdlService {
  readonly name: QName;
  readonly ports: readonly WsdlPort[];
}

/** A WSDL 1.1 contract with its local imports, as `readWsdl` read it. */
export interface WsdlModel {
  /** The WSDL file asked for (absolute). */
  readonly path: string;
  /** Every file read (absolute), in reading order. */
  readonly files: readonly string[];
  readonly targetNamespace: string;
  readonly services: readonly WsdlService[];
  /** The SOAP 1.1 and 1.2 bindings (HTTP and MIME bindings are left out). */
  readonly bindings: readonly WsdlBinding[];
  readonly portTypes: readonly WsdlPortType[];
  readonly messages: readonly WsdlMessage[];
  /** The XML Schema components of the inline and imported schemas. */
  readonly schemas: SchemaSet;
}

/** One operation as offered by one port (or by a binding no port uses). */
export interface WsdlOperationRow {
  readonly service: string | undefined;
  readonly port: string | undefined;
  readonly address: string | undefined;
  readonly binding: string;
  readonly operation: string;
  readonly soapAction: string;
  readonly soapVersion: SoapVersion;
  readonly style: 'document' | 'rpc';
  /** The Body's child element: the part's element (document), the wrapper (rpc). */
  readonly inputElement: QName | undefined;
  readonly policy: WsdlPolicy;
}

/** What a SOAP client needs to call one operation. */
export interface ResolvedOperation {
  readonly operation: string;
  readonly service: string | undefined;
  readonly port: string | undefined;
  readonly address: string | undefined;
  readonly soapAction: string;
  readonly soapVersion: SoapVersion;
  readonly security: WsdlSecurity;
  readonly algorithmSuite: string | undefined;
  readonly inputElement: QName;
}

export interface OperationSelector {
  /** The port (name, or `Service/Port`) when several offer the operation. */
  readonly port?: string;
}
