import { PasserelleError } from '../../errors.ts';
import { attributeValue, childElements } from '../../xml/dom.ts';
import type { Document, Element } from '../../xml/node.ts';
import { _cidUrl, _contentIdFromHref } from './content-id.ts';

/** The XOP 1.0 namespace of xop:Include. */
export const XOP_NS = 'http://www.w3.org/2004/08/xop/include';

export interface XopInclude {
  readonly element: Element;
  /** The Content-ID it references (decoded from its `cid:` href). */
  readonly contentId: string;
}

function bad(message: string, details: Record<string, string> = {}): never {
  throw new PasserelleError('ERR_MTOM_BAD_REFERENCE', message, { details });
}

/**
 * Every xop:Include under `root`, in document order, checked as XOP 1.0 requires: a `cid:` href
 * (anything else — http:, file:, a relative URI — is ERR_MTOM_BAD_REFERENCE), no content, and
 * the only content of its parent (whitespace aside), since it stands for the parent's whole
 * base64 text. A part referenced twice is refused too (one stream, one consumer).
 */
export function findXopIncludes(root: Element | Document): XopInclude[] {
  const found: XopInclude[] = [];
  const ids = new Set<string>();
  const start = root.nodeType === 9 ? (root as Document).documentElement : (root as Element);
  const stack: Element[] = start ? [start] : [];
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (el.namespaceURI === XOP_NS) {
      if (el.localName !== 'Include') bad(`Unknown XOP element ${String(el.localName).slice(0, 40)}`);
      const contentId = _contentIdFromHref(attributeValue(el, null, 'href'));
      if (el.firstChild) bad('An xop:Include must be empty');
      const parent = el.parentNode as Element | null;
      if (parent?.nodeType !== 1) bad('An xop:Include must have a parent element');
      for (let n = parent!.firstChild; n; n = n.nextSibling) {
        if (n === el) continue;
        if (n.nodeType !== 3 || !/^[ \t\r\n]*$/.test(n.nodeValue ?? ''))
          bad('An xop:Include must be the only content of its parent element');
      }
      if (ids.has(contentId))
        bad('Two xop:Include elements reference the same part', { contentId: contentId.slice(0, 120) });
      ids.add(contentId);
      found.push({ element: el, contentId });
      continue;
    }
    const children = childElements(el);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return found;
}

/** Appends `<xop:Include href="cid:..."/>` (declaring xmlns:xop on it) as the content of `parent`. */
export function appendXopInclude(parent: Element, contentId: string): Element {
  const doc = parent.ownerDocument!;
  const include = doc.createElementNS(XOP_NS, 'xop:Include');
  include.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:xop', XOP_NS);
  include.setAttribute('href', _cidUrl(contentId));
  parent.appendChild(include);
  return include;
}
