import { attributeList } from './_element.ts';
import { NS } from './namespaces.ts';
import type { Element, Node } from './node.ts';

/** Namespace-aware DOM helpers shared by every XML consumer (no XPath: explicit, cheap walks). */

/** The attributes of an element as a read-only array, without a NamedNodeMap (see _element.ts). */
export { attributeList };

export function isElement(node: Node | null | undefined): node is Element {
  return node != null && node.nodeType === 1;
}

/** True when `node` is an element with this namespace URI and local name. */
export function isNamed(node: Node | null | undefined, ns: string, localName: string): node is Element {
  return isElement(node) && node.localName === localName && node.namespaceURI === ns;
}

/** The child elements of `parent`, optionally only those with this namespace and local name. */
export function childElements(parent: Node, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (!isElement(child)) continue;
    if (localName !== undefined && (child.localName !== localName || child.namespaceURI !== (ns ?? null)))
      continue;
    out.push(child);
  }
  return out;
}

/** The value of an attribute by namespace (null: unqualified) and local name, or undefined. */
export function attributeValue(el: Element, ns: string | null, localName: string): string | undefined {
  const attr = el.getAttributeNodeNS(ns, localName);
  return attr ? attr.value : undefined;
}

/**
 * The character data of an element that must hold text only: undefined when it has any child
 * other than text or CDATA (an element, a comment, a processing instruction). Callers treat
 * undefined as malformed: a value split by a comment is never read "around" the comment.
 */
export function textOnly(el: Element): string | undefined {
  let text = '';
  for (let child = el.firstChild; child; child = child.nextSibling) {
    if (child.nodeType !== 3 && child.nodeType !== 4) return undefined;
    text += child.nodeValue ?? '';
  }
  return text;
}

/** Namespace declarations in scope at `el` (prefix → URI; '' is the default namespace). */
export function inScopeNamespaces(el: Node): Map<string, string> {
  const scope = new Map<string, string>();
  for (let node: Node | null = el; isElement(node); node = node.parentNode) {
    const attrs = attributeList(node);
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (a.namespaceURI !== NS.xmlns) continue;
      const prefix = a.prefix === 'xmlns' ? a.localName! : '';
      if (!scope.has(prefix)) scope.set(prefix, a.value);
    }
  }
  return scope;
}

/** Namespace declarations made on `el` itself (prefix → URI; '' is the default namespace). */
export function declaredNamespaces(el: Element): Map<string, string> {
  const out = new Map<string, string>();
  const attrs = attributeList(el);
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!;
    if (a.namespaceURI === NS.xmlns) out.set(a.prefix === 'xmlns' ? a.localName! : '', a.value);
  }
  return out;
}
