import { Attr, splitQName } from './_attr.ts';
import type { Document } from './_document.ts';
import { isName } from './_names.ts';
import { CharacterData, linkBefore, Node, touch } from './_node.ts';

/** The attribute array of every element that has none (never mutated: the first attribute replaces it). */
const NO_ATTRIBUTES: Attr[] = [];

/** Element's own attribute array (bound in Element's static block). */
let listOf: (el: Element) => Attr[];

/**
 * The attributes of `el` in document order, as a read-only array: what el.attributes.list
 * gives, without making the NamedNodeMap (for walks over every element). The array of an element
 * without attributes is shared and stays empty: read it again after a change.
 */
export function attributeList(el: Element): readonly Attr[] {
  return listOf(el);
}

function named(list: readonly Attr[], name: string): Attr | null {
  for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return list[i]!;
  return null;
}

function namedNS(list: readonly Attr[], ns: string | null, localName: string): Attr | null {
  const uri = ns === '' ? null : ns;
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    if (a.localName === localName && a.namespaceURI === uri) return a;
  }
  return null;
}

/** The attributes of an element, in document order (namespace declarations included); live. */
export class NamedNodeMap implements Iterable<Attr> {
  readonly #owner: Element;

  /** Made by Element.attributes only. */
  constructor(owner: Element) {
    this.#owner = owner;
  }

  /** The attributes as a read-only array (for fast iteration; read it again after a change). */
  get list(): readonly Attr[] {
    return listOf(this.#owner);
  }

  get length(): number {
    return this.list.length;
  }

  item(index: number): Attr | null {
    return this.list[index] ?? null;
  }

  getNamedItem(name: string): Attr | null {
    return named(this.list, name);
  }

  getNamedItemNS(ns: string | null, localName: string): Attr | null {
    return namedNS(this.list, ns, localName);
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
  // Declared, assigned in the constructor (see Node).
  declare readonly nodeType: 1;
  declare parentNode: Node | null;
  declare firstChild: Node | null;
  declare lastChild: Node | null;
  declare previousSibling: Node | null;
  declare nextSibling: Node | null;
  declare readonly namespaceURI: string | null;
  declare readonly prefix: string | null;
  declare readonly localName: string;
  /** The qualified name as written. */
  declare readonly tagName: string;
  /** Attributes in document order; NO_ATTRIBUTES until the first is added. */
  #attributes: Attr[];
  /** The NamedNodeMap view of #attributes, made on first use. */
  #map: NamedNodeMap | null;
  /**
   * Where the parser read this element in its document's source text (ownerDocument.source):
   * [sourceStart, sourceEnd). -1 once the element or anything inside it changed (or for an
   * element not made by the parser): the serialiser then writes it from the DOM.
   */
  declare sourceStart: number;
  declare sourceEnd: number;
  /**
   * Set by the parser when that source text is already in canonical form, namespaces aside: no
   * attribute in it but unprefixed ones written as C14N writes them (code-point order, one space
   * before each, name="value", no reference but those C14N writes, nothing to normalise), no other
   * space in its tags, no empty-element tag, no comment or CDATA section, text without ">" and
   * without references but &amp; &lt; &gt; &#xD;. Meaningful only while sourceEnd ≥ 0 (excC14n).
   */
  declare sourceCanonical: boolean;
  /**
   * Set by the parser when every element below this one has its prefix and namespace: with
   * sourceCanonical (no declaration in the text), excC14n needs no namespace look below it.
   */
  declare sourceUniform: boolean;

  static {
    listOf = (el) => el.#attributes;
  }

  constructor(
    doc: Document | null,
    ns: string | null,
    prefix: string | null,
    localName: string,
    tagName: string,
  ) {
    super(doc);
    this.nodeType = 1;
    this.parentNode = null;
    this.firstChild = null;
    this.lastChild = null;
    this.previousSibling = null;
    this.nextSibling = null;
    this.namespaceURI = ns;
    this.prefix = prefix;
    this.localName = localName;
    this.tagName = tagName;
    this.#attributes = NO_ATTRIBUTES;
    this.#map = null;
    this.sourceStart = -1;
    this.sourceEnd = -1;
    this.sourceCanonical = false;
    this.sourceUniform = true;
  }

  /** Internal (adopt): gives every attribute the new owner document, with no NamedNodeMap made. */
  _adoptAttributes(doc: Document | null): void {
    for (const a of listOf(this)) a.ownerDocument = doc;
  }

  /** The attributes (a live view). */
  get attributes(): NamedNodeMap {
    this.#map ??= new NamedNodeMap(this);
    return this.#map;
  }

  get nodeName(): string {
    return this.tagName;
  }

  /** Appends an attribute node without checks (the parser's path; names already validated). */
  addAttribute(attr: Attr): void {
    attr.ownerElement = this;
    if (this.#attributes === NO_ATTRIBUTES) this.#attributes = [attr];
    else this.#attributes.push(attr);
    touch(this);
  }

  getAttribute(name: string): string | null {
    return named(this.#attributes, name)?.value ?? null;
  }

  getAttributeNS(ns: string | null, localName: string): string | null {
    return namedNS(this.#attributes, ns, localName)?.value ?? null;
  }

  getAttributeNode(name: string): Attr | null {
    return named(this.#attributes, name);
  }

  getAttributeNodeNS(ns: string | null, localName: string): Attr | null {
    return namedNS(this.#attributes, ns, localName);
  }

  hasAttribute(name: string): boolean {
    return named(this.#attributes, name) !== null;
  }

  hasAttributeNS(ns: string | null, localName: string): boolean {
    return namedNS(this.#attributes, ns, localName) !== null;
  }

  setAttribute(name: string, value: string): void {
    const existing = named(this.#attributes, name);
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
    const existing = namedNS(this.#attributes, uri, local);
    if (existing) existing.value = String(value);
    else this.addAttribute(new Attr(this.ownerDocument, uri, prefix, local, qname, String(value)));
  }

  removeAttributeNode(attr: Attr): Attr {
    const i = this.#attributes.indexOf(attr);
    if (i < 0) throw new DOMException('The attribute is not on this element', 'NotFoundError');
    this.#attributes.splice(i, 1);
    attr.ownerElement = null;
    touch(this);
    return attr;
  }

  removeAttribute(name: string): void {
    const a = named(this.#attributes, name);
    if (a) this.removeAttributeNode(a);
  }

  removeAttributeNS(ns: string | null, localName: string): void {
    const a = namedNS(this.#attributes, ns, localName);
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
    for (const a of this.#attributes) copy.addAttribute(a.cloneNode());
    if (deep) for (let c = this.firstChild; c; c = c.nextSibling) linkBefore(copy, c.cloneNode(true), null);
    return copy;
  }
}

export { Attr, CharacterData };
