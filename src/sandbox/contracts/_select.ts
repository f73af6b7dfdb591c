import { attributeList, isElement } from '../../xml/dom.ts';
import type { Element, Node } from '../../xml/node.ts';

/** A selector that cannot be compiled: the message says why (the caller adds where). */
export class _SelectorError extends Error {}

/** One step of a JSONPath subset: a member name or an array index. */
type _Segment = string | number;

/**
 * Compiles the JSONPath subset of scenario files: `$`, then `.name`, `['name']` or `[0]` steps
 * (`$.path.ssin`, `$.body.items[0].id`, `$.headers['x-request-id']`). Header names are matched
 * in lower case, as Node gives them.
 */
export function _compileJsonPath(path: string): (root: unknown) => unknown {
  if (!path.startsWith('$')) throw new _SelectorError('a JSONPath starts with $');
  const segments: _Segment[] = [];
  const step = /^(?:\.([A-Za-z0-9_$-]+)|\[(\d{1,9})\]|\['([^'\\]{1,200})'\]|\["([^"\\]{1,200})"\])/;
  let rest = path.slice(1);
  while (rest !== '') {
    const m = step.exec(rest);
    if (m === null) throw new _SelectorError(`unsupported JSONPath step at "${rest.slice(0, 40)}"`);
    segments.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4] ?? ''));
    rest = rest.slice(m[0].length);
  }
  if (segments[0] === 'headers' && typeof segments[1] === 'string') segments[1] = segments[1].toLowerCase();
  return (root) => {
    let value: unknown = root;
    for (const segment of segments) {
      if (typeof segment === 'number') {
        value = Array.isArray(value) ? value[segment] : undefined;
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
      } else return undefined;
      if (value === undefined) return undefined;
    }
    return value;
  };
}

interface _XStep {
  readonly descendant: boolean;
  readonly name: string;
}

/**
 * Compiles the XPath subset of scenario files: local-name steps from the payload element (the
 * Body's child), `/` for a child, `//` for any descendant, `*` for any element, and an optional
 * last step `@name` for an attribute (`/EboxIdentifier/Value`, `//Value`, `/Message/@lang`).
 * Namespaces are ignored. Selects the text of the first element (or attribute) found.
 */
export function _compileXPath(xpath: string): (payload: Element) => string | undefined {
  const m = /^((?:\/\/?(?:\*|[A-Za-z_][\w.-]*))+)(?:\/@([A-Za-z_][\w.-]*))?$/.exec(xpath);
  if (m === null)
    throw new _SelectorError(
      'an XPath here is /step, //step (local names or *) and an optional last /@attribute',
    );
  const steps: _XStep[] = [...(m[1] ?? '').matchAll(/(\/\/?)(\*|[A-Za-z_][\w.-]*)/g)].map((s) => ({
    descendant: s[1] === '//',
    name: s[2] ?? '*',
  }));
  const attribute = m[2];
  return (payload) => {
    let nodes: Element[] = [payload];
    for (const step of steps) {
      const next: Element[] = [];
      for (const node of nodes) _collect(node, step, next);
      nodes = next;
      if (nodes.length === 0) return undefined;
    }
    for (const node of nodes) {
      if (attribute === undefined) return _text(node);
      const found = attributeList(node).find((a) => a.localName === attribute && a.prefix !== 'xmlns');
      if (found !== undefined) return found.value;
    }
    return undefined;
  };
}

function _collect(parent: Node, step: _XStep, out: Element[]): void {
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (!isElement(child)) continue;
    if (step.name === '*' || child.localName === step.name) out.push(child);
    if (step.descendant) _collect(child, step, out);
  }
}

/** The character data of an element and its descendants, trimmed. */
function _text(el: Node): string {
  let text = '';
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3 || child.nodeType === 4) text += child.nodeValue ?? '';
      else if (isElement(child)) walk(child);
    }
  };
  walk(el);
  return text.trim();
}
