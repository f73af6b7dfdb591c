import { splitQName } from './_attr.ts';
import { byNameNS, collectElements, Element, type ElementList } from './_element.ts';
import { isName } from './_names.ts';
import { adopt, CharacterData, linkBefore, Node } from './_node.ts';

export class Document extends Node {
  readonly nodeType = 9;
  parentNode: Node | null = null;
  firstChild: Node | null = null;
  lastChild: Node | null = null;
  previousSibling: Node | null = null;
  nextSibling: Node | null = null;
  readonly namespaceURI: string | null = null;
  readonly prefix: string | null = null;
  readonly localName: string | null = null;
  /** The (line-end normalised) text the parser read, which pristine elements point into. */
  source: string | null = null;

  constructor() {
    super(null);
  }

  get nodeName(): string {
    return '#document';
  }

  override get textContent(): null {
    return null;
  }

  override set textContent(_value: string | null) {}

  /** The root element, or null. */
  get documentElement(): Element | null {
    for (let c = this.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) return c as Element;
    return null;
  }

  protected override checkInsert(node: Node, ref: Node | null): void {
    super.checkInsert(node, ref);
    if (node.nodeType !== 1 && node.nodeType !== 8)
      throw new DOMException('A document holds only elements and comments', 'HierarchyRequestError');
    if (node.nodeType === 1 && this.documentElement && this.documentElement !== node)
      throw new DOMException('A document has only one root element', 'HierarchyRequestError');
  }

  createElementNS(ns: string | null, qname: string): Element {
    const uri = ns === '' ? null : ns;
    const [prefix, local] = splitQName(uri, qname);
    return new Element(this, uri, prefix, local, qname);
  }

  createElement(name: string): Element {
    if (!isName(name)) throw new DOMException(`"${name}" is not a valid name`, 'InvalidCharacterError');
    return new Element(this, null, null, name, name);
  }

  createTextNode(data: string): CharacterData {
    return new CharacterData(this, 3, String(data));
  }

  createCDATASection(data: string): CharacterData {
    if (String(data).includes(']]>'))
      throw new DOMException('CDATA sections cannot contain "]]>"', 'InvalidCharacterError');
    return new CharacterData(this, 4, String(data));
  }

  createComment(data: string): CharacterData {
    return new CharacterData(this, 8, String(data));
  }

  /** A copy of `node` (and its subtree when `deep`) owned by this document. */
  importNode<T extends Node>(node: T, deep = false): T {
    if (node.nodeType === 9) throw new DOMException('Documents cannot be imported', 'NotSupportedError');
    const copy = node.cloneNode(deep) as T;
    adopt(copy, this);
    return copy;
  }

  getElementsByTagNameNS(ns: string | null, localName: string): ElementList {
    return collectElements(this, byNameNS(ns, localName));
  }

  getElementsByTagName(name: string): ElementList {
    return collectElements(this, (el) => name === '*' || el.tagName === name);
  }

  cloneNode(deep = false): Document {
    const copy = new Document();
    if (deep)
      for (let c = this.firstChild; c; c = c.nextSibling) linkBefore(copy, copy.importNode(c, true), null);
    return copy;
  }
}

/** A new document whose root element is `qname` in namespace `ns` (DOMImplementation.createDocument). */
export function createDocument(ns: string | null, qname: string): Document {
  const doc = new Document();
  doc.appendChild(doc.createElementNS(ns, qname));
  return doc;
}
