import { createDocument, type Document, type Element } from '../xml/node.ts';
import { serializeXml } from '../xml/serialize.ts';
import { SOAP_NAMESPACES } from './namespaces.ts';

/** Content for the Header or Body: elements (from any document) or a builder. */
export type EnvelopeContent =
  | Element
  | readonly Element[]
  | ((document: Document) => Element | readonly Element[]);

export interface BuildEnvelopeOptions {
  /** The Body content: the operation's request element(s). */
  readonly body: EnvelopeContent;
  /**
   * Header blocks. Absent: no Header element. A builder returning `[]` gives an empty
   * `<soapenv:Header/>` (what some services expect, and where WS-Security goes).
   */
  readonly header?: EnvelopeContent;
  /** Prefix for the SOAP 1.1 envelope namespace; default `soapenv`. */
  readonly prefix?: string;
  /** Extra namespace declarations on the Envelope (prefix → URI), e.g. the service's `v1`. */
  readonly namespaces?: Readonly<Record<string, string>>;
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/**
 * Builds a SOAP 1.1 envelope with a DOM (never by string splicing) and serialises it.
 * Elements from another document are imported (deep copy); caller mistakes are TypeErrors.
 */
export function buildEnvelope(options: BuildEnvelopeOptions): string {
  const { body, header, prefix = 'soapenv', namespaces = {} } = options;
  if (!NCNAME.test(prefix) || prefix.toLowerCase().startsWith('xml')) {
    throw new TypeError(`buildEnvelope: invalid envelope prefix ${JSON.stringify(prefix)}`);
  }
  const document = createDocument(SOAP_NAMESPACES.envelope, `${prefix}:Envelope`);
  const envelope = document.documentElement!;
  envelope.setAttributeNS(SOAP_NAMESPACES.xmlns, `xmlns:${prefix}`, SOAP_NAMESPACES.envelope);
  for (const [p, uri] of Object.entries(namespaces)) {
    if (!NCNAME.test(p) || p.toLowerCase().startsWith('xml') || typeof uri !== 'string' || uri === '') {
      throw new TypeError(`buildEnvelope: invalid namespace declaration ${JSON.stringify(p)}`);
    }
    if (p === prefix && uri !== SOAP_NAMESPACES.envelope) {
      throw new TypeError(`buildEnvelope: prefix ${JSON.stringify(p)} is already the envelope prefix`);
    }
    envelope.setAttributeNS(SOAP_NAMESPACES.xmlns, `xmlns:${p}`, uri);
  }
  if (header !== undefined) {
    const headerElement = document.createElementNS(SOAP_NAMESPACES.envelope, `${prefix}:Header`);
    _append(document, headerElement, header, 'header');
    envelope.appendChild(headerElement);
  }
  const bodyElement = document.createElementNS(SOAP_NAMESPACES.envelope, `${prefix}:Body`);
  _append(document, bodyElement, body, 'body');
  envelope.appendChild(bodyElement);
  return serializeXml(document, { declareNamespaces: true });
}

function _append(document: Document, parent: Element, content: EnvelopeContent, what: string): void {
  const produced = typeof content === 'function' ? content(document) : content;
  const elements: readonly Element[] = Array.isArray(produced) ? produced : [produced as Element];
  for (const element of elements) {
    if (element === null || typeof element !== 'object' || element.nodeType !== 1) {
      throw new TypeError(`buildEnvelope: the ${what} content must be DOM elements`);
    }
    parent.appendChild(element.ownerDocument === document ? element : document.importNode(element, true));
  }
}
