import { childElements, textOnly } from '../../xml/dom.ts';
import type { Element } from '../../xml/node.ts';
import { _EboxFault } from './_fault.ts';

/** Namespace of the local elements of EboxMessage_types_v1.xsd (elementFormDefault qualified). */
export const EBOX_TYPES_NS = 'http://socialsecurity.be/eboxmessage/types/v1';

/** SOA-03006 with the precise reason for the log. */
export function _xsdFailure(detail: string): never {
  throw _EboxFault.system('SOA-03006', 'schema', 500, detail.slice(0, 300));
}

/** One particle of an xs:sequence: a child element of the types namespace, min..max times. */
export interface _Particle {
  readonly name: string;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Walks the children of `el` against an xs:sequence of `particles` (all in the types
 * namespace): counts per particle checked, nothing else allowed, no text but whitespace
 * between elements. Returns the children found per name.
 */
export function _sequence(el: Element, particles: readonly _Particle[]): Map<string, Element[]> {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if ((n.nodeType === 3 || n.nodeType === 4) && (n.nodeValue ?? '').trim() !== '')
      _xsdFailure(`${el.localName}: text is not allowed here`);
    if (n.nodeType !== 1 && n.nodeType !== 3 && n.nodeType !== 4 && n.nodeType !== 8)
      _xsdFailure(`${el.localName}: unexpected node`);
  }
  const children = childElements(el);
  const found = new Map<string, Element[]>();
  let i = 0;
  for (const p of particles) {
    const list: Element[] = [];
    while (
      i < children.length &&
      children[i]!.namespaceURI === EBOX_TYPES_NS &&
      children[i]!.localName === p.name &&
      list.length < (p.max ?? 1)
    )
      list.push(children[i++]!);
    if (list.length < (p.min ?? 1)) _xsdFailure(`${el.localName}: ${p.name} expected`);
    found.set(p.name, list);
  }
  if (i < children.length)
    _xsdFailure(`${el.localName}: unexpected element ${String(children[i]!.localName).slice(0, 80)}`);
  return found;
}

/** The text of a simple-type element (no child elements), or SOA-03006. */
export function _text(el: Element): string {
  const t = textOnly(el);
  if (t === undefined) _xsdFailure(`${el.localName}: a simple value is expected`);
  return t;
}

/** A string with xs:minLength/maxLength (in characters, whitespace preserved) and a pattern. */
export function _string(el: Element, min: number, max: number, pattern?: RegExp): string {
  const t = _text(el);
  const length = [...t].length;
  if (length < min || length > max) _xsdFailure(`${el.localName}: length ${length} outside ${min}..${max}`);
  if (pattern !== undefined && !pattern.test(t)) _xsdFailure(`${el.localName}: does not match its pattern`);
  return t;
}

/** An xs:integer (whitespace collapsed) between min and max. */
export function _integer(el: Element, min: number, max: number): number {
  const t = _text(el).trim();
  if (!/^[+-]?\d{1,15}$/.test(t)) _xsdFailure(`${el.localName}: not an integer`);
  const n = Number(t);
  if (n < min || n > max) _xsdFailure(`${el.localName}: ${n} outside ${min}..${max}`);
  return n;
}

/** A value of an xs:enumeration (whitespace preserved, as xs:string). */
export function _enum<T extends string>(el: Element, values: readonly T[]): T {
  const t = _text(el);
  if (!(values as readonly string[]).includes(t)) _xsdFailure(`${el.localName}: not an allowed value`);
  return t as T;
}

/** xs:boolean. */
export function _boolean(el: Element): boolean {
  const t = _text(el).trim();
  if (!['true', 'false', '1', '0'].includes(t)) _xsdFailure(`${el.localName}: not a boolean`);
  return t === 'true' || t === '1';
}

/** xs:base64Binary with a length (of the decoded octets) between min and max. */
export function _base64(el: Element, min: number, max: number): Buffer {
  const t = _text(el).replace(/[ \t\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t))
    _xsdFailure(`${el.localName}: not base64`);
  const bytes = Buffer.from(t, 'base64');
  if (bytes.length < min || bytes.length > max) _xsdFailure(`${el.localName}: length outside ${min}..${max}`);
  return bytes;
}

/** The first (only) element found for a particle, when present. */
export function _one(found: Map<string, Element[]>, name: string): Element | undefined {
  return found.get(name)?.[0];
}

/** The child elements of a complex element: all in the types namespace, no text but whitespace. */
export function _children(el: Element): Element[] {
  for (let n = el.firstChild; n; n = n.nextSibling)
    if ((n.nodeType === 3 || n.nodeType === 4) && (n.nodeValue ?? '').trim() !== '')
      _xsdFailure(`${el.localName}: text is not allowed here`);
  const children = childElements(el);
  if (children.some((c) => c.namespaceURI !== EBOX_TYPES_NS)) _xsdFailure(`${el.localName}: foreign element`);
  return children;
}
