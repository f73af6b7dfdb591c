import type { Document } from './_document.ts';
import { isName, isNcName } from './_names.ts';
import { CharacterData, linkBefore, Node, touch } from './_node.ts';
import { NS } from './namespaces.ts';

/** Qualified names already validated, split (bounded: the toolkit's vocabulary is small). */
const QNAMES = new Map<string, [string | null, string]>();

function validQName(qname: string): [string | null, string] {
  const known = QNAMES.get(qname);
  if (known) return known;
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? null : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  if ((prefix !== null && !isNcName(prefix)) || !isNcName(local))
    throw new DOMException(`"${qname}" is not a valid qualified name`, 'InvalidCharacterError');
  const split: [string | null, string] = [prefix, local];
  if (QNAMES.size < 4096) QNAMES.set(qname, split);
  return split;
}

/** A validated qualified name split into prefix and local name (DOM "validate and extract"). */
export function splitQName(ns: string | null, qname: string): [string | null, string] {
  const [prefix, local] = validQName(qname);
  if (
    (prefix !== null && ns === null) ||
    (prefix === 'xml' && ns !== NS.xml) ||
    (prefix === 'xmlns' || qname === 'xmlns') !== (ns === NS.xmlns)
  ) {
    throw new DOMException(`"${qname}" does not fit the namespace ${ns ?? '(none)'}`, 'NamespaceError');
  }
  return [prefix, local];
}

export class Attr extends Node {
  readonly nodeType = 2;
  /** The qualified name as written. */
  readonly name: string;
  #value: string;
  ownerElement: Element | null = null;

  constructor(
    doc: Document | null,
    ns: string | null,
    prefix: string | null,
    localName: string,
    name: string,
    value: string,
  ) {
    super(doc);
    this.namespaceURI = ns;
    this.prefix = prefix;
    this.localName = localName;
    this.name = name;
    this.#value = value;
  }

  get value(): string {
    return this.#value;
  }

  set value(value: string) {
    this.#value = String(value);
    touch(this.ownerElement);
  }

  get nodeName(): string {
    return this.name;
  }

  override get nodeValue(): string {
    return this.#value;
  }

  override set nodeValue(value: string | null) {
    this.value = value ?? '';
  }

  override get textContent(): string {
    return this.value;
  }

  override set textContent(value: string | null) {
    this.value = value ?? '';
  }

  cloneNode(): Attr {
    return new Attr(
      this.ownerDocument,
      this.namespaceURI,
      this.prefix,
      this.localName!,
      this.name,
      this.value,
    );
  }
}

/** The attributes of an element, in document order (namespace declarations included). */
export class NamedNodeMap implements Iterable<Attr> {
  /** Mutated only through Element (addAttribute, removeAttributeNode), which tracks changes. */
  readonly #list: Attr[] = [];

  /** The attributes as a read-only array (for fast iteration). */
  get list(): readonly Attr[] {
    return this.#list;
  }

  /** @internal Element's handle on the array it mutates. */
  static mutable(map: NamedNodeMap): Attr[] {
    return map.#list;
  }

  get length(): number {
    return this.list.length;
  }

  item(index: number): Attr | null {
    return this.list[index] ?? null;
  }

  getNamedItem(name: string): Attr | null {
    for (const a of this.list) if (a.name === name) return a;
    return null;
  }

  getNamedItemNS(ns: string | null, localName: string): Attr | null {
    const uri = ns === '' ? null : ns;
    for (const a of this.list) if (a.localName === localName && a.namespaceURI === uri) return a;
    return null;
  }

  [Symbol.iterator](): Iterator<Attr> {
    return this.list[Symbol.iterator]();
  }
}

/** An array of elements with the DOM NodeList `item` accessor (not live). */
export type ElementList = Element[] & { item(index: number): Element | null };

/** Descendants of `root` in document order that satisfy `match`. */
export function collectElements(root: Node, match: (el: Element) => boolean): ElementList {
  const out = [] as unknown as ElementList;
  const walk = (node: Node): void => {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== 1) continue;
      if (match(c as Element)) out.push(c as Element);
      walk(c);
    }
  };
  walk(root);
  out.item = (i: number) => out[i] ?? null;
  return out;
}

export function byNameNS(ns: string | null, localName: string): (el: Element) => boolean {
  const uri = ns === '' ? null : ns;
  return (el) =>
    (uri === '*' || el.namespaceURI === uri) && (localName === '*' || el.localName === localName);
}

export class Element extends Node {
  readonly nodeType = 1;
  /** The qualified name as written. */
  readonly tagName: string;
  readonly attributes = new NamedNodeMap();
  declare localName: string;
  /**
   * Where the parser read this element in its document's source text (ownerDocument.source):
   * [sourceStart, sourceEnd). -1 once the element or anything inside it changed (or for an
   * element not made by the parser): the serialiser then writes it from the DOM.
   */
  sourceStart = -1;
  sourceEnd = -1;

  constructor(
    doc: Document | null,
    ns: string | null,
    prefix: string | null,
    localName: string,
    tagName: string,
  ) {
    super(doc);
    this.namespaceURI = ns;
    this.prefix = prefix;
    this.localName = localName;
    this.tagName = tagName;
  }

  get nodeName(): string {
    return this.tagName;
  }

  /** Appends an attribute node without checks (the parser's path; names already validated). */
  addAttribute(attr: Attr): void {
    attr.ownerElement = this;
    NamedNodeMap.mutable(this.attributes).push(attr);
    touch(this);
  }

  getAttribute(name: string): string | null {
    return this.attributes.getNamedItem(name)?.value ?? null;
  }

  getAttributeNS(ns: string | null, localName: string): string | null {
    return this.attributes.getNamedItemNS(ns, localName)?.value ?? null;
  }

  getAttributeNode(name: string): Attr | null {
    return this.attributes.getNamedItem(name);
  }

  getAttributeNodeNS(ns: string | null, localName: string): Attr | null {
    return this.attributes.getNamedItemNS(ns, localName);
  }

  hasAttribute(name: string): boolean {
    return this.attributes.getNamedItem(name) !== null;
  }

  hasAttributeNS(ns: string | null, localName: string): boolean {
    return this.attributes.getNamedItemNS(ns, localName) !== null;
  }

  setAttribute(name: string, value: string): void {
    const existing = this.attributes.getNamedItem(name);
    if (existing) {
      existing.value = String(value);
      return;
    }
    if (!isName(name)) throw new DOMException(`"${name}" is not a valid name`, 'InvalidCharacterError');
    this.addAttribute(new Attr(this.ownerDocument, null, null, name, name, String(value)));
  }

  setAttributeNS(ns: string | null, qname: string, value: string): void {
    const uri = ns === '' ? null : ns;
    const [prefix, local] = splitQName(uri, qname);
    const existing = this.attributes.getNamedItemNS(uri, local);
    if (existing) existing.value = String(value);
    else this.addAttribute(new Attr(this.ownerDocument, uri, prefix, local, qname, String(value)));
  }

  removeAttributeNode(attr: Attr): Attr {
    const i = this.attributes.list.indexOf(attr);
    if (i < 0) throw new DOMException('The attribute is not on this element', 'NotFoundError');
    NamedNodeMap.mutable(this.attributes).splice(i, 1);
    attr.ownerElement = null;
    touch(this);
    return attr;
  }

  removeAttribute(name: string): void {
    const a = this.attributes.getNamedItem(name);
    if (a) this.removeAttributeNode(a);
  }

  removeAttributeNS(ns: string | null, localName: string): void {
    const a = this.attributes.getNamedItemNS(ns, localName);
    if (a) this.removeAttributeNode(a);
  }

  getElementsByTagNameNS(ns: string | null, localName: string): ElementList {
    return collectElements(this, byNameNS(ns, localName));
  }

  getElementsByTagName(name: string): ElementList {
    return collectElements(this, (el) => name === '*' || el.tagName === name);
  }

  cloneNode(deep = false): Element {
    const copy = new Element(
      this.ownerDocument,
      this.namespaceURI,
      this.prefix,
      this.localName,
      this.tagName,
    );
    for (const a of this.attributes.list) copy.addAttribute(a.cloneNode());
    if (deep) for (let c = this.firstChild; c; c = c.nextSibling) linkBefore(copy, c.cloneNode(true), null);
    return copy;
  }
}

export { CharacterData };
