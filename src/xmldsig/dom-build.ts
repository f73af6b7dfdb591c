import { inScopeNamespaces } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';

export type AttrSpec = readonly [ns: string | null, qname: string, value: string];

/** Creates an element with attributes and children (elements or text), DOM only. */
export function element(
  doc: Document,
  ns: string,
  qname: string,
  attrs: readonly AttrSpec[] = [],
  children: readonly (Element | string)[] = [],
): Element {
  const el = doc.createElementNS(ns, qname);
  for (const [ans, aname, value] of attrs) {
    if (ans === null) el.setAttribute(aname, value);
    else el.setAttributeNS(ans, aname, value);
  }
  for (const c of children) el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  return el;
}

/** Declares `prefix` → `uri` on `el` (an xmlns:prefix attribute, so every serialiser sees it). */
export function declare(el: Element, prefix: string, uri: string): void {
  el.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
}

/**
 * A prefix bound to `uri` at `host`: `preferred` or another prefix already in scope there;
 * otherwise `preferred` (or preferred1, preferred2, ... if that name is taken) declared on `host`.
 * A prefix not in scope at `host` cannot be used below it without its own declaration, so the
 * new declaration never changes the meaning of existing content.
 */
export function bindPrefix(host: Element, preferred: string, uri: string): string {
  const scope = inScopeNamespaces(host);
  if (scope.get(preferred) === uri) return preferred;
  for (const [p, u] of scope) if (p !== '' && u === uri) return p;
  let candidate = preferred;
  for (let i = 1; scope.has(candidate); i++) candidate = `${preferred}${i}`;
  declare(host, candidate, uri);
  return candidate;
}

/** Replaces the content of `el` with one text node. */
export function setText(el: Element, text: string): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(el.ownerDocument!.createTextNode(text));
}
