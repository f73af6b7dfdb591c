import { PasserelleError } from '../errors.ts';
import { attributeValue, isElement } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element, Node } from '../xml/node.ts';
import type { QName } from './types.ts';

/** Namespace URIs of the vocabularies a WSDL 1.1 contract is written in. */
export const _NS = Object.freeze({
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  wsdl2: 'http://www.w3.org/ns/wsdl',
  soap11: 'http://schemas.xmlsoap.org/wsdl/soap/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  xs: 'http://www.w3.org/2001/XMLSchema',
  wsp: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  wsp15: 'http://www.w3.org/ns/ws-policy',
  wsu: NS.wsu,
  xml: NS.xml,
} as const);

/** The namespace URI bound to `prefix` ('' the default namespace) at `el`; undefined when unbound. */
export function _lookupNamespace(el: Element, prefix: string): string | undefined {
  if (prefix === 'xml') return NS.xml;
  for (let node: Node | null = el; isElement(node); node = node.parentNode) {
    const value = attributeValue(node, NS.xmlns, prefix === '' ? 'xmlns' : prefix);
    if (value !== undefined) return value;
  }
  return prefix === '' ? '' : undefined;
}

/**
 * Resolves a QName-valued attribute (`type`, `ref`, `base`, `element`, `message`, `binding`) in
 * the namespace scope of its element. An unprefixed name takes the default namespace, as XML
 * Schema and WSDL 1.1 define; `fallbackNs` is used instead when no default namespace is
 * declared (contracts written for tools that read unprefixed names in the target namespace).
 */
export function _resolveQName(el: Element, value: string, file: string, fallbackNs?: string): QName {
  const text = value.trim();
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon);
  const name = colon < 0 ? text : text.slice(colon + 1);
  const ns = _lookupNamespace(el, prefix);
  if (ns === undefined || name === '' || name.includes(':')) {
    throw new PasserelleError(
      'ERR_WSDL_INVALID',
      `${file}: "${text.slice(0, 100)}" is not a resolvable QName`,
      {
        hint: `Declare the prefix "${prefix.slice(0, 40)}" (xmlns:${prefix.slice(0, 40)}="...") in the file.`,
        details: { file, element: el.localName ?? '', value: text.slice(0, 200) },
      },
    );
  }
  return { ns: prefix === '' && ns === '' && fallbackNs !== undefined ? fallbackNs : ns, name };
}

/** The value of an unqualified attribute, or undefined. */
export function _attr(el: Element, name: string): string | undefined {
  return attributeValue(el, null, name);
}

/** `{ns}name`, or `name` for no namespace: the map key and the text of a QName in messages. */
export function _key(q: QName): string {
  return q.ns === '' ? q.name : `{${q.ns}}${q.name}`;
}

/** The text of the first `documentation` child, trimmed and bounded; undefined when there is none. */
export function _documentation(el: Element): string | undefined {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (isElement(c) && c.localName === 'documentation' && c.namespaceURI === _NS.wsdl) {
      const text = (c.textContent ?? '').replace(/\s+/g, ' ').trim();
      return text === '' ? undefined : text.slice(0, 500);
    }
  }
  return undefined;
}
