/**
 * The base of Passerelle's own DOM: a small, namespace-aware subset of the W3C DOM (the part the
 * toolkit uses), with the same names and semantics, so code reads like any DOM code. Built for
 * the signing and verification paths: plain linked nodes, no live collections, no mutation
 * events. Node types: 1 element, 2 attribute, 3 text, 4 CDATA section, 8 comment, 9 document.
 */

import type { Document } from './_document.ts';

function domError(name: string, message: string): never {
  throw new DOMException(message, name);
}

export abstract class Node {
  abstract readonly nodeType: number;
  abstract readonly nodeName: string;
  // Fields are declared and assigned in constructors, not initialised as class fields: V8 makes
  // a node about twice as fast that way (the parser makes hundreds per message).
  declare ownerDocument: Document | null;
  // Links and names are declared here and stored only by the kinds of node that use them (an
  // element has all; text has no children and no name; an attribute has no parent or siblings):
  // the others answer null from their prototype, so each kind keeps a small, fixed shape.
  abstract parentNode: Node | null;
  abstract firstChild: Node | null;
  abstract lastChild: Node | null;
  abstract previousSibling: Node | null;
  abstract nextSibling: Node | null;
  /** Element and attribute names; null on the other node types. */
  abstract readonly namespaceURI: string | null;
  abstract readonly prefix: string | null;
  abstract readonly localName: string | null;

  constructor(ownerDocument: Document | null) {
    this.ownerDocument = ownerDocument;
  }

  get nodeValue(): string | null {
    return null;
  }

  set nodeValue(_value: string | null) {}

  /** Concatenated text and CDATA of the descendants (null on a document). */
  get textContent(): string | null {
    let out = '';
    const walk = (node: Node): void => {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3 || c.nodeType === 4) out += c.nodeValue;
        else if (c.nodeType === 1) walk(c);
      }
    };
    walk(this);
    return out;
  }

  set textContent(value: string | null) {
    while (this.firstChild) this.removeChild(this.firstChild);
    if (value) this.appendChild(this.ownerDocument!.createTextNode(String(value)));
  }

  /** The children as a fresh array (not live). */
  get childNodes(): Node[] {
    const out: Node[] = [];
    for (let c = this.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  hasChildNodes(): boolean {
    return this.firstChild !== null;
  }

  abstract cloneNode(deep?: boolean): Node;

  /** Checks that `node` may become a child of this node (before `ref`). */
  protected checkInsert(node: Node, ref: Node | null): void {
    if (ref !== null && ref.parentNode !== this)
      domError('NotFoundError', 'The reference node is not a child of this node');
    if (node.nodeType === 2 || node.nodeType === 9)
      domError('HierarchyRequestError', `A node of type ${node.nodeType} cannot be a child`);
    if (this.nodeType !== 1 && this.nodeType !== 9)
      domError('HierarchyRequestError', 'Only elements and documents have children');
    for (let a: Node | null = this; a; a = a.parentNode) {
      if (a === node) domError('HierarchyRequestError', 'A node cannot be inserted into itself');
    }
  }

  insertBefore<T extends Node>(node: T, ref: Node | null): T {
    if (ref === node) ref = node.nextSibling;
    this.checkInsert(node, ref);
    if (node.parentNode) node.parentNode.removeChild(node);
    const doc = this.nodeType === 9 ? (this as unknown as Document) : this.ownerDocument;
    if (node.ownerDocument !== doc) adopt(node, doc);
    linkBefore(this, node, ref);
    touch(this);
    return node;
  }

  appendChild<T extends Node>(node: T): T {
    return this.insertBefore(node, null);
  }

  removeChild<T extends Node>(child: T): T {
    if (child.parentNode !== this) domError('NotFoundError', 'The node is not a child of this node');
    const { previousSibling: prev, nextSibling: next } = child;
    if (prev) prev.nextSibling = next;
    else this.firstChild = next;
    if (next) next.previousSibling = prev;
    else this.lastChild = prev;
    child.parentNode = child.previousSibling = child.nextSibling = null;
    touch(this);
    return child;
  }

  replaceChild<T extends Node>(node: Node, old: T): T {
    if (old.parentNode !== this) domError('NotFoundError', 'The node to replace is not a child of this node');
    if (node === old) return old;
    this.checkInsert(node, null);
    const ref = old.nextSibling === node ? node.nextSibling : old.nextSibling;
    this.removeChild(old);
    this.insertBefore(node, ref);
    return old;
  }

  /** Removes this node from its parent, if any. */
  remove(): void {
    this.parentNode?.removeChild(this);
  }
}

/**
 * Records that the content of `node` changed: every element from `node` up loses its link to
 * the parsed source text (see Element.sourceEnd). An element already changed has changed
 * ancestors too, so the walk stops there.
 */
export function touch(node: Node | null): void {
  for (let n = node; n; n = n.parentNode) {
    if (n.nodeType !== 1) continue;
    const el = n as Node & { sourceEnd: number };
    if (el.sourceEnd < 0) return;
    el.sourceEnd = -1;
  }
}

/** Sets the owner document of `node` and its subtree (attributes included). */
export function adopt(node: Node, doc: Document | null): void {
  node.ownerDocument = doc;
  if (node.nodeType === 1) (node as Node & { sourceEnd: number }).sourceEnd = -1;
  if (node.nodeType === 1)
    (node as Node & { _adoptAttributes(d: Document | null): void })._adoptAttributes(doc);
  for (let c = node.firstChild; c; c = c.nextSibling) adopt(c, doc);
}

/** Links a detached `node` into `parent` before `ref` (null: last); no checks. */
export function linkBefore(parent: Node, node: Node, ref: Node | null): void {
  node.parentNode = parent;
  node.nextSibling = ref;
  const prev = ref ? ref.previousSibling : parent.lastChild;
  node.previousSibling = prev;
  if (prev) prev.nextSibling = node;
  else parent.firstChild = node;
  if (ref) ref.previousSibling = node;
  else parent.lastChild = node;
}

/** Text (3), CDATA section (4) and comment (8) nodes. */
export class CharacterData extends Node {
  declare readonly nodeType: 3 | 4 | 8;
  declare parentNode: Node | null;
  declare previousSibling: Node | null;
  declare nextSibling: Node | null;
  #data: string;

  constructor(ownerDocument: Document | null, nodeType: 3 | 4 | 8, data: string) {
    super(ownerDocument);
    this.nodeType = nodeType;
    this.parentNode = null;
    this.previousSibling = null;
    this.nextSibling = null;
    this.#data = data;
  }

  get firstChild(): null {
    return null;
  }

  get lastChild(): null {
    return null;
  }

  get namespaceURI(): null {
    return null;
  }

  get prefix(): null {
    return null;
  }

  get localName(): null {
    return null;
  }

  get data(): string {
    return this.#data;
  }

  set data(value: string) {
    this.#data = String(value);
    touch(this.parentNode);
  }

  get nodeName(): string {
    return this.nodeType === 3 ? '#text' : this.nodeType === 4 ? '#cdata-section' : '#comment';
  }

  override get nodeValue(): string {
    return this.#data;
  }

  override set nodeValue(value: string | null) {
    this.data = value ?? '';
  }

  override get textContent(): string {
    return this.#data;
  }

  override set textContent(value: string | null) {
    this.data = value ?? '';
  }

  get length(): number {
    return this.#data.length;
  }

  cloneNode(): CharacterData {
    return new CharacterData(this.ownerDocument, this.nodeType, this.#data);
  }
}

export type Text = CharacterData;
export type Comment = CharacterData;
