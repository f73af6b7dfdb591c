import { PasserelleError } from '../errors.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element, Node } from '../xml/node.ts';

/** Attributes that act as ids for same-document references: wsu:Id, Id, ID, AssertionID. */
function idOf(attrNs: string | null, localName: string | null): boolean {
  if (attrNs === null) return localName === 'Id' || localName === 'ID' || localName === 'AssertionID';
  return attrNs === NS.wsu && localName === 'Id';
}

/**
 * Every id of the document (wsu:Id, Id, ID, AssertionID) mapped to its element. Throws
 * ERR_WSS_DUPLICATE_ID when one value names two elements, whatever attributes carry it:
 * a reference must resolve to exactly one element.
 */
export function collectIds(doc: Document): Map<string, Element> {
  const ids = new Map<string, Element>();
  const stack: Node[] = doc.documentElement ? [doc.documentElement] : [];
  while (stack.length > 0) {
    const el = stack.pop() as Element;
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (!idOf(a.namespaceURI, a.localName)) continue;
      const seen = ids.get(a.value);
      if (seen !== undefined && seen !== el) {
        throw new PasserelleError(
          'ERR_WSS_DUPLICATE_ID',
          `The id "${a.value.slice(0, 80)}" is carried by more than one element`,
          {
            details: { id: a.value.slice(0, 80) },
          },
        );
      }
      ids.set(a.value, el);
    }
    for (let child = el.lastChild; child; child = child.previousSibling)
      if (child.nodeType === 1) stack.push(child);
  }
  return ids;
}

/** An XML NCName made of ASCII name characters (what every stack we meet emits). */
export const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
