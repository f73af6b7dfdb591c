import { PasserelleError } from '../../errors.ts';
import type { Document, Element } from '../../xml/node.ts';
import { _declare } from '../xml.ts';
import { EBOX_SOAP } from './soap-names.ts';

/** The operation element `ebox:<local>` with the service (`ebox`) and types (`t`) prefixes declared. */
export function _request(doc: Document, local: string): Element {
  const el = _declare(doc.createElementNS(EBOX_SOAP.ns, `ebox:${local}`), 'ebox', EBOX_SOAP.ns);
  return _declare(el, 't', EBOX_SOAP.typesNs);
}

/** An element `t:<local>` of the types namespace holding text or child elements (DOM only). */
export function _typed(doc: Document, local: string, ...content: readonly (Element | string)[]): Element {
  const el = doc.createElementNS(EBOX_SOAP.typesNs, `t:${local}`);
  for (const c of content) el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  return el;
}

/** A `MessageID { Ticket, Sequence? }`. */
export function _messageId(doc: Document, ticket: string, sequence: number | undefined): Element {
  const id = _typed(doc, 'MessageID', _typed(doc, 'Ticket', ticket));
  if (sequence !== undefined) id.appendChild(_typed(doc, 'Sequence', String(sequence)));
  return id;
}

/** An xs:boolean of a reply: true, false, 1, 0; else ERR_SOAP_UNEXPECTED_RESPONSE. */
export function _xsBoolean(value: string, what: string): boolean {
  const v = value.trim();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The reply's ${what} is not a boolean`);
}
