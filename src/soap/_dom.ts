import type { Element, Node } from '../xml/node.ts';

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const COMMENT = 8;

/** The element children of `parent`, in document order. */
export function _elementChildren(parent: Node): Element[] {
  const out: Element[] = [];
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT) out.push(child as Element);
  }
  return out;
}

/** True when `parent` has text (other than whitespace) directly under it. */
export function _hasSignificantText(parent: Node): boolean {
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if ((child.nodeType === TEXT || child.nodeType === CDATA) && (child.nodeValue ?? '').trim() !== '')
      return true;
  }
  return false;
}

/** True when `parent` holds anything besides elements, whitespace and comments. */
export function _hasForeignContent(parent: Node): boolean {
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT || child.nodeType === COMMENT) continue;
    if ((child.nodeType === TEXT || child.nodeType === CDATA) && (child.nodeValue ?? '').trim() === '')
      continue;
    return true;
  }
  return false;
}

export function _is(element: Element, ns: string | null, localName: string): boolean {
  return element.localName === localName && (element.namespaceURI ?? null) === ns;
}

/**
 * Children matching a local name, case-insensitive on the first letter (KSZ uses `detail`,
 * the eHealth variant of the same type `Detail`), in any namespace or none.
 */
export function _childrenNamed(parent: Node, localName: string): Element[] {
  const want = localName.toLowerCase();
  return _elementChildren(parent).filter((e) => (e.localName ?? '').toLowerCase() === want);
}

export function _childNamed(parent: Node, localName: string): Element | undefined {
  return _childrenNamed(parent, localName)[0];
}

/** Text content of an element, trimmed; `undefined` when the element is absent. */
export function _text(element: Element | undefined): string | undefined {
  if (element === undefined) return undefined;
  return (element.textContent ?? '').trim();
}
