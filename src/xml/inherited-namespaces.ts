import { attributeList, declaredNamespaces, inScopeNamespaces } from './dom.ts';
import { NS } from './namespaces.ts';
import type { Element, Node } from './node.ts';

/**
 * The namespace declarations `el` relies on that are made outside it (on an ancestor): for each
 * element of the subtree, its own prefix and its attributes' prefixes ('' for an unprefixed
 * element name) that no declaration within the subtree (up to el) binds. Cutting el's text out
 * of its document loses exactly these; the HOK signer redeclares them on wsse:Security.
 */
export function inheritedNamespaces(el: Element): Record<string, string> {
  const outside = el.parentNode ? inScopeNamespaces(el.parentNode) : new Map<string, string>();
  const out: Record<string, string> = {};
  const boundInside = (node: Element, prefix: string): boolean => {
    for (let n: Node | null = node; n; n = n.parentNode) {
      if (declaredNamespaces(n as Element).has(prefix)) return true;
      if (n === el) break;
    }
    return false;
  };
  const stack: Element[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const used = [node.prefix ?? ''];
    for (const a of attributeList(node)) {
      if (a.prefix && a.namespaceURI !== NS.xmlns && a.prefix !== 'xml') used.push(a.prefix);
    }
    for (const p of used) {
      if (p === '' && (node.namespaceURI ?? '') === '') continue;
      if (!boundInside(node, p) && outside.has(p)) out[p] = outside.get(p)!;
    }
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return out;
}
