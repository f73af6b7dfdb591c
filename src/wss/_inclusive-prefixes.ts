import { attributeList, isElement } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element, Node } from '../xml/node.ts';

/**
 * The InclusiveNamespaces PrefixList we emit for `target`, following WSS4J's rule
 * (WSSecurityUtil.getInclusivePrefixes): every prefix declared on an ancestor of `target`
 * ("#default" for a default namespace), nearest ancestor first, minus — when `excludeVisible` —
 * the prefixes declared on `target` itself and those it visibly uses (its own prefix, its
 * attributes' prefixes). Exclusive c14n already outputs visibly used prefixes; the list keeps the
 * others, which QNames inside content (xsi:type="urn:T") may need.
 */
export function inclusivePrefixesFor(target: Element, excludeVisible: boolean): string[] {
  const result: string[] = [];
  const add = (p: string) => {
    if (!result.includes(p)) result.push(p);
  };
  for (let node: Node | null = target.parentNode; isElement(node); node = node.parentNode) {
    for (const a of attributeList(node)) {
      if (a.namespaceURI === NS.xmlns) add(a.prefix === 'xmlns' ? a.localName! : '#default');
    }
  }
  if (!excludeVisible) return result;
  const drop = new Set<string>([target.prefix ?? '#default']);
  for (const a of attributeList(target)) {
    if (a.namespaceURI === NS.xmlns) drop.add(a.prefix === 'xmlns' ? a.localName! : '#default');
    else if (a.prefix) drop.add(a.prefix);
  }
  return result.filter((p) => !drop.has(p));
}
