import { randomUUID } from 'node:crypto';
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

export type WssIdKind = 'bst' | 'timestamp' | 'body' | 'signature' | 'keyinfo' | 'str';

const KIND_PREFIX: Readonly<Record<WssIdKind, string>> = {
  bst: 'X509-',
  timestamp: 'TS-',
  body: 'id-',
  signature: 'SIG-',
  keyinfo: 'KI-',
  str: 'STR-',
};

/** An XML NCName made of ASCII name characters (what every stack we meet emits). */
export const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The default id generator, one per signed message: `<prefix><KIND>-<32 hex>` as WSS4J shapes
 * them (X509-, TS-, id-, SIG-, KI-, STR-), random bits drawn once per message (the kind
 * prefix keeps the ids of one message apart; a repeated kind gets a counter). The bits come from
 * randomUUID (122 random bits of a pooled CSPRNG draw: no system call per message).
 */
export function defaultIdGenerator(idPrefix: string): (kind: WssIdKind) => string {
  const base = randomUUID().replace(/-/g, '').toUpperCase();
  const used = new Map<WssIdKind, number>();
  return (kind) => {
    const n = used.get(kind) ?? 0;
    used.set(kind, n + 1);
    return `${idPrefix}${KIND_PREFIX[kind]}${base}${n === 0 ? '' : `-${n}`}`;
  };
}

/**
 * The id source of one message being signed: the caller's generator or the default one; every id
 * must be a fresh NCName, not already in `ids` nor `reserved` (TypeError, named after `name`), and
 * is recorded in `ids` for `owner`.
 */
export function _idAllocator(
  ids: Map<string, Element>,
  options: { readonly idGenerator?: (kind: WssIdKind) => string; readonly idPrefix?: string },
  name: string,
  reserved?: string,
): (kind: WssIdKind, owner: Element) => string {
  const generate = options.idGenerator ?? defaultIdGenerator(options.idPrefix ?? '');
  return (kind, owner) => {
    const id = generate(kind);
    if (typeof id !== 'string' || !NCNAME.test(id) || ids.has(id) || id === reserved)
      throw new TypeError(`${name}: the id generator returned an invalid or used id for ${kind}`);
    ids.set(id, owner);
    return id;
  };
}
