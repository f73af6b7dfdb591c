import { attributeList, childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Document, Element, Node } from '../xml/node.ts';
import { createDocument } from '../xml/node.ts';
import { serializeXml } from '../xml/serialize.ts';
import type { SchemaSet } from './schema-set.ts';
import type { QName } from './types.ts';

/** Prefixes written for namespaces the contract's documents bind to none. */
const USUAL_PREFIXES: Readonly<Record<string, string>> = {
  'http://www.w3.org/2001/XMLSchema-instance': 'xsi',
};

/**
 * The document side of a request template: its root, namespace prefixes (the schemas' own when
 * free), elements, comments and indentation, and the final serialisation.
 */
export class _TemplateWriter {
  readonly #schemas: SchemaSet;
  readonly #prefixes = new Map<string, string>();
  readonly #taken = new Set<string>();
  #doc: Document | undefined;

  constructor(schemas: SchemaSet) {
    this.#schemas = schemas;
  }

  /** The document being written (after `root`). */
  get doc(): Document {
    if (this.#doc === undefined) throw new TypeError('_TemplateWriter: root() first');
    return this.#doc;
  }

  root(q: QName): Element {
    const prefix = q.ns === '' ? undefined : this.prefix(q.ns);
    this.#doc = createDocument(
      q.ns === '' ? null : q.ns,
      prefix === undefined ? q.name : `${prefix}:${q.name}`,
    );
    return this.#doc.documentElement!;
  }

  finish(root: Element, notes: string[]): string {
    const attrs = attributeList(root).map((a) => ({ ns: a.namespaceURI, name: a.name, value: a.value }));
    for (const a of attrs) root.removeAttribute(a.name);
    for (const [ns, prefix] of this.#prefixes) root.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, ns);
    for (const a of attrs) root.setAttributeNS(a.ns, a.name, a.value);
    if (notes.length > 0) {
      // The root's own notes go inside it, first, so that the body stays one element: indented
      // among child elements, else touching the text (or nothing) so that no whitespace is
      // added to simple or empty content.
      const comment = this.doc.createComment(` ${_commentText(notes)} `);
      const elementOnly = childElements(root).length > 0;
      if (elementOnly) root.insertBefore(this.doc.createTextNode('\n  '), root.firstChild);
      root.insertBefore(comment, elementOnly ? root.firstChild!.nextSibling : root.firstChild);
    }
    return serializeXml(root);
  }

  prefix(ns: string): string {
    const known = this.#prefixes.get(ns);
    if (known !== undefined) return known;
    let prefix = this.#schemas.prefixesOf(ns).find((p) => !this.#taken.has(p));
    const usual = USUAL_PREFIXES[ns];
    if (prefix === undefined && usual !== undefined && !this.#taken.has(usual)) prefix = usual;
    for (let i = 1; prefix === undefined; i++) if (!this.#taken.has(`ns${i}`)) prefix = `ns${i}`;
    this.#taken.add(prefix);
    this.#prefixes.set(ns, prefix);
    return prefix;
  }

  create(q: QName): Element {
    if (q.ns === '') return this.doc.createElementNS(null, q.name);
    return this.doc.createElementNS(q.ns, `${this.prefix(q.ns)}:${q.name}`);
  }

  /** Appends `node` on its own line at `depth`, after a comment holding `notes` if any. */
  place(parent: Element, node: Node, notes: readonly string[], depth: number): void {
    const indent = `\n${'  '.repeat(depth)}`;
    if (notes.length > 0) {
      parent.appendChild(this.doc.createTextNode(indent));
      parent.appendChild(this.doc.createComment(` ${_commentText(notes)} `));
    }
    parent.appendChild(this.doc.createTextNode(indent));
    parent.appendChild(node);
  }

  note(parent: Element, notes: readonly string[], depth: number): void {
    parent.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
    parent.appendChild(this.doc.createComment(` ${_commentText(notes)} `));
  }

  closeIndent(el: Element, depth: number): void {
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1 || c.nodeType === 8) {
        el.appendChild(this.doc.createTextNode(`\n${'  '.repeat(depth)}`));
        return;
      }
    }
  }
}

/** Notes joined into comment text that cannot end the comment early (`--` is not allowed in it). */
function _commentText(notes: readonly string[]): string {
  return notes
    .join('; ')
    .replace(/-{2,}/g, (m) => m.split('').join(' '))
    .replace(/-$/, '- ');
}
