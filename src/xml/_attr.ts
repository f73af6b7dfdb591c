import type { Document } from './_document.ts';
import type { Element } from './_element.ts';
import { isNcName } from './_names.ts';
import { Node, touch } from './_node.ts';
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

/** An attribute (namespace declarations included); it has no parent, siblings or children. */
export class Attr extends Node {
  // Declared, assigned in the constructor (see Node).
  declare readonly nodeType: 2;
  declare readonly namespaceURI: string | null;
  declare readonly prefix: string | null;
  declare readonly localName: string;
  /** The qualified name as written. */
  declare readonly name: string;
  #value: string;
  declare ownerElement: Element | null;

  constructor(
    doc: Document | null,
    ns: string | null,
    prefix: string | null,
    localName: string,
    name: string,
    value: string,
  ) {
    super(doc);
    this.nodeType = 2;
    this.namespaceURI = ns;
    this.prefix = prefix;
    this.localName = localName;
    this.name = name;
    this.#value = value;
    this.ownerElement = null;
  }

  get parentNode(): null {
    return null;
  }

  get firstChild(): null {
    return null;
  }

  get lastChild(): null {
    return null;
  }

  get previousSibling(): null {
    return null;
  }

  get nextSibling(): null {
    return null;
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
      this.localName,
      this.name,
      this.value,
    );
  }
}
