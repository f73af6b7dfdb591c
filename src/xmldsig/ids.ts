import { PasserelleError } from '../errors.ts';
import { attributeList } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';

/** What a same-document reference resolves through: the one element an id names. */
export interface IdLookup {
  /** The element carrying `id`, or undefined when none does. */
  get(id: string): Element | undefined;
}

const duplicate = (id: string): never => {
  throw new PasserelleError(
    'ERR_WSS_DUPLICATE_ID',
    `The id "${id.slice(0, 80)}" is carried by more than one element`,
    {
      details: { id: id.slice(0, 80) },
    },
  );
};

/**
 * The ids of one document (wsu:Id, Id, ID, AssertionID), by value. A value carried by several
 * elements is ambiguous: `has` knows it, `get` refuses it (ERR_WSS_DUPLICATE_ID), so whatever a
 * Reference, a KeyInfo or a token points at names exactly one element, while repeated ids that
 * nothing points at (a payload's own `ID="1"` items) do no harm.
 */
export class IdIndex implements IdLookup {
  /** The first element seen for each value. */
  readonly #first = new Map<string, Element>();
  /** Values carried by more than one element. */
  readonly #ambiguous = new Set<string>();
  /** Values carried by a wsu:Id attribute: these must be unique outright. */
  readonly #wsu = new Set<string>();

  /** The one element carrying `id`; undefined when none; ERR_WSS_DUPLICATE_ID when several do. */
  get(id: string): Element | undefined {
    if (this.#ambiguous.size > 0 && this.#ambiguous.has(id)) duplicate(id);
    return this.#first.get(id);
  }

  /** Whether any element carries `id` (one or several): a fresh id must avoid it. */
  has(id: string): boolean {
    return this.#first.has(id);
  }

  /**
   * Records that `el` carries `id` (through a wsu:Id attribute when `wsu`). A second element with
   * the value makes it ambiguous; when either carrier is a wsu:Id, ERR_WSS_DUPLICATE_ID at once.
   */
  add(id: string, el: Element, wsu = false): void {
    const seen = this.#first.get(id);
    if (seen === undefined) this.#first.set(id, el);
    else if (seen !== el) {
      if (wsu || this.#wsu.has(id)) duplicate(id);
      this.#ambiguous.add(id);
    }
    if (wsu) this.#wsu.add(id);
  }
}

/** KeyIdentifier ValueTypes that name an assertion by its id (SAML token profile 1.0 / 1.1). */
const ASSERTION_ID_VALUE_TYPES: ReadonlySet<string> = new Set([
  'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID',
  'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID',
]);

/** The id an element of the signature vocabulary points at, if it is one: ds:Reference and wsse:Reference "#id", a SAML KeyIdentifier. */
function pointedId(el: Element): string | undefined {
  const local = el.localName;
  if (local === 'Reference') {
    if (el.namespaceURI !== NS.ds && el.namespaceURI !== NS.wsse) return undefined;
    const uri = el.getAttributeNS(null, 'URI');
    return uri?.startsWith('#') ? uri.slice(1) : undefined;
  }
  if (local === 'KeyIdentifier' && el.namespaceURI === NS.wsse) {
    const type = el.getAttributeNS(null, 'ValueType');
    return type !== null && ASSERTION_ID_VALUE_TYPES.has(type) ? (el.textContent ?? '').trim() : undefined;
  }
  return undefined;
}

/**
 * Every id of the document (wsu:Id, Id, ID, AssertionID), indexed (see IdIndex), in one walk.
 * Throws ERR_WSS_DUPLICATE_ID when a wsu:Id value is carried by another element too (whatever
 * attribute carries it there), and when any ds:Reference, wsse:Reference or SAML KeyIdentifier
 * anywhere in the document points at a value several elements carry (whichever signature it
 * belongs to: an attacker's copy of a signed element is refused before any other check looks at
 * it). Other repeated values (a payload's own `ID="1"` items) are refused only when looked up.
 */
export function collectIds(doc: Document): IdIndex {
  const ids = new IdIndex();
  const pointed: string[] = [];
  const root = doc.documentElement;
  const stack: Element[] = root ? [root] : [];
  while (stack.length > 0) {
    const el = stack.pop()!;
    for (const a of attributeList(el)) {
      const local = a.localName;
      const ns = a.namespaceURI;
      if (ns === null) {
        if (local === 'Id' || local === 'ID' || local === 'AssertionID') ids.add(a.value, el);
      } else if (ns === NS.wsu && local === 'Id') ids.add(a.value, el, true);
    }
    const target = pointedId(el);
    if (target !== undefined) pointed.push(target);
    for (let child = el.lastChild; child; child = child.previousSibling)
      if (child.nodeType === 1) stack.push(child as Element);
  }
  for (const id of pointed) ids.get(id);
  return ids;
}

/** An XML NCName made of ASCII name characters (what every stack we meet emits). */
export const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
