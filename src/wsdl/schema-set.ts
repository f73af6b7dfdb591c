import { childElements, declaredNamespaces } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import { _attr, _key, _NS, _resolveQName } from './_qname.ts';
import type { QName } from './types.ts';

/** One schema document (inline in a WSDL, or an XSD file) with the defaults its components use. */
export interface SchemaDocument {
  readonly file: string;
  readonly root: Element;
  /** The target namespace ('' for none); for a chameleon include, the includer's. */
  readonly targetNamespace: string;
  readonly elementFormQualified: boolean;
  readonly attributeFormQualified: boolean;
}

/** A top-level schema component: its declaration and the document it belongs to. */
export interface SchemaComponent {
  readonly el: Element;
  readonly doc: SchemaDocument;
}

type Kind = 'element' | 'type' | 'group' | 'attributeGroup' | 'attribute';

const KIND_OF: Readonly<Record<string, Kind>> = {
  element: 'element',
  complexType: 'type',
  simpleType: 'type',
  group: 'group',
  attributeGroup: 'attributeGroup',
  attribute: 'attribute',
};

const RESERVED_PREFIX = /^xml/i;
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The XML Schema components of a contract, by kind and qualified name, plus the prefixes its
 * documents use for each namespace (so that generated XML reads like the contract). The first
 * declaration of a name wins.
 */
export class SchemaSet {
  readonly #components = new Map<string, SchemaComponent>();
  readonly #namespaces = new Set<string>();
  readonly #prefixes = new Map<string, string[]>();
  readonly #substitutes = new Map<string, SchemaComponent[]>();
  readonly #derived = new Map<string, SchemaComponent[]>();
  readonly #documents: SchemaDocument[] = [];
  readonly #elements: SchemaComponent[] = [];

  /** The target namespaces of the schema documents read. */
  get namespaces(): readonly string[] {
    return [...this.#namespaces];
  }

  hasNamespace(ns: string): boolean {
    return this.#namespaces.has(ns);
  }

  /** The schema documents read, in reading order (a chameleon-included file once per namespace). */
  get documents(): readonly SchemaDocument[] {
    return this.#documents;
  }

  /** Registers the top-level components of a schema document. */
  add(doc: SchemaDocument): void {
    this.#documents.push(doc);
    this.#namespaces.add(doc.targetNamespace);
    this.notePrefixes(doc.root);
    for (const el of childElements(doc.root)) {
      if (el.namespaceURI !== _NS.xs) continue;
      if (el.localName === 'redefine' || el.localName === 'override') {
        for (const inner of childElements(el)) this.#register(inner, doc);
        continue;
      }
      this.#register(el, doc);
    }
  }

  #register(el: Element, doc: SchemaDocument): void {
    const kind = KIND_OF[el.localName ?? ''];
    const name = _attr(el, 'name');
    if (kind === undefined || name === undefined || el.namespaceURI !== _NS.xs) return;
    const key = `${kind} ${_key({ ns: doc.targetNamespace, name })}`;
    if (!this.#components.has(key)) {
      this.#components.set(key, { el, doc });
      if (kind === 'element') this.#elements.push({ el, doc });
      if (el.localName === 'complexType') this.#noteDerivation(el, doc);
    }
    const head = kind === 'element' ? _attr(el, 'substitutionGroup') : undefined;
    if (head !== undefined) {
      const headKey = _key(_resolveQName(el, head, doc.file));
      const list = this.#substitutes.get(headKey) ?? [];
      list.push({ el, doc });
      this.#substitutes.set(headKey, list);
    }
  }

  /** Indexes a named complex type under the base type it extends or restricts. */
  #noteDerivation(el: Element, doc: SchemaDocument): void {
    for (const content of childElements(el, _NS.xs)) {
      if (content.localName !== 'complexContent' && content.localName !== 'simpleContent') continue;
      for (const derivation of childElements(content, _NS.xs)) {
        const base = _attr(derivation, 'base');
        if (base === undefined) continue;
        const baseKey = _key(_resolveQName(derivation, base, doc.file));
        const list = this.#derived.get(baseKey) ?? [];
        list.push({ el, doc });
        this.#derived.set(baseKey, list);
      }
    }
  }

  /** Remembers the prefixes `el` declares, as candidates for generated XML. */
  notePrefixes(el: Element): void {
    for (const [prefix, uri] of declaredNamespaces(el)) {
      if (prefix === '' || RESERVED_PREFIX.test(prefix) || !NCNAME.test(prefix)) continue;
      const list = this.#prefixes.get(uri) ?? [];
      if (!list.includes(prefix)) list.push(prefix);
      this.#prefixes.set(uri, list);
    }
  }

  /** Prefixes the contract's documents bind to `ns`, in reading order. */
  prefixesOf(ns: string): readonly string[] {
    return this.#prefixes.get(ns) ?? [];
  }

  element(q: QName): SchemaComponent | undefined {
    return this.#components.get(`element ${_key(q)}`);
  }

  /** A named complexType or simpleType. */
  type(q: QName): SchemaComponent | undefined {
    return this.#components.get(`type ${_key(q)}`);
  }

  group(q: QName): SchemaComponent | undefined {
    return this.#components.get(`group ${_key(q)}`);
  }

  attributeGroup(q: QName): SchemaComponent | undefined {
    return this.#components.get(`attributeGroup ${_key(q)}`);
  }

  attribute(q: QName): SchemaComponent | undefined {
    return this.#components.get(`attribute ${_key(q)}`);
  }

  /** The global element declarations, in reading order. */
  globalElements(): readonly SchemaComponent[] {
    return this.#elements;
  }

  /** The named complex types that extend or restrict `base` directly. */
  derivedTypes(base: QName): readonly SchemaComponent[] {
    return this.#derived.get(_key(base)) ?? [];
  }

  /** The global elements declared in the substitution group of `head`. */
  substitutes(head: QName): readonly SchemaComponent[] {
    return this.#substitutes.get(_key(head)) ?? [];
  }
}
