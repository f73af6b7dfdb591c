import { declaredNamespaces, inScopeNamespaces } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { serializeXml } from '../xml/serialize.ts';

/**
 * `el` (for example the SOAP Body's payload element) as a standalone XML document: a copy of its
 * subtree whose root declares every namespace in scope at `el` (those declared on its ancestors
 * too), so that it parses, and validates, on its own. Every in-scope declaration is kept, not
 * only those element and attribute names use: a QName in content (an `xsi:type` value, an
 * xs:QName element) names its prefix in text. No XML declaration is written (UTF-8 text). The
 * DOM of `el` is not changed.
 */
export function serializePayload(el: Element): string {
  if (el === null || typeof el !== 'object' || el.nodeType !== 1)
    throw new TypeError('serializePayload: an element is required');
  const copy = el.cloneNode(true);
  const own = declaredNamespaces(el);
  for (const [prefix, uri] of inScopeNamespaces(el)) {
    if (own.has(prefix)) continue;
    copy.setAttributeNS(NS.xmlns, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
  }
  return serializeXml(copy, { declareNamespaces: true });
}
