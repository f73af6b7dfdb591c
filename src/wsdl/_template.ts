import { childElements } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import { type _AttrUse, _collectAttributes } from './_attributes.ts';
import { _occurs, _occursNote } from './_occurs.ts';
import { _attr, _key, _NS, _resolveQName } from './_qname.ts';
import { type _Ids, _sample } from './_sample.ts';
import {
  _facetNotes,
  type _SimpleInfo,
  _simpleByName,
  _simpleContentOf,
  _simpleOf,
  _undeclared,
} from './_simple.ts';
import {
  _applyAttributes,
  _baseAttributes,
  _baseType,
  _choiceLabel,
  _concreteSubtypes,
  type _Decl,
  _declOf,
  _MAX_DEPTH,
  _PARTICLES,
  _particlesOf,
  _wildcardNamespaces,
} from './_template-model.ts';
import { _TemplateWriter } from './_template-writer.ts';
import type { SchemaDocument, SchemaSet } from './schema-set.ts';
import type { QName } from './types.ts';

/** Elements in one template, at most. */
const MAX_ELEMENTS = 2000;
/** Copies written for a particle whose minOccurs is above 1, at most. */
const MAX_COPIES = 100;
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Builds a request skeleton from XML Schema declarations, on the DOM (never spliced text): each
 * element in sequence order, with a comment before it saying what the placeholder hides
 * (optional, repeatable, choice alternatives, enumerations, facets, optional attributes).
 */
export class _Template {
  readonly #schemas: SchemaSet;
  readonly #expanding = new Set<unknown>();
  readonly #w: _TemplateWriter;
  #count = 0;
  #id = 0;
  readonly #ids: _Ids = { next: () => `id${++this.#id}` };

  constructor(schemas: SchemaSet) {
    this.#schemas = schemas;
    this.#w = new _TemplateWriter(schemas);
  }

  /** The skeleton of the global element `q`. */
  element(q: QName): string {
    const comp = this.#schemas.element(q);
    if (comp === undefined) throw _undeclared('element', q, this.#schemas);
    const root = this.#w.root(q);
    this.#count = 1;
    const notes = this.#fill(root, { q, el: comp.el, doc: comp.doc }, 0);
    return this.#w.finish(root, notes);
  }

  /** An RPC/literal wrapper `q` holding one unqualified accessor per part. */
  rpc(
    q: QName,
    parts: readonly { name: string; element?: QName | undefined; type?: QName | undefined }[],
  ): string {
    const root = this.#w.root(q);
    this.#count = 1;
    for (const part of parts) {
      if (part.element !== undefined) {
        const comp = this.#schemas.element(part.element);
        if (comp === undefined) throw _undeclared('element', part.element, this.#schemas);
        this.#emit(root, { q: part.element, el: comp.el, doc: comp.doc }, 1, []);
      } else {
        const accessor = this.#w.create({ ns: '', name: part.name });
        const type = part.type ?? { ns: _NS.xs, name: 'anyType' };
        const notes = this.#fillType(accessor, type, undefined, undefined, 1);
        this.#w.closeIndent(accessor, 1);
        this.#w.place(root, accessor, notes, 1);
      }
    }
    this.#w.closeIndent(root, 0);
    return this.#w.finish(root, []);
  }

  /** An element particle: written max(1, minOccurs) times (bounded), the first with its notes. */
  #element(parent: Element, pel: Element, doc: SchemaDocument, depth: number): void {
    const occurs = _occurs(pel);
    if (occurs.max === 0) return;
    let decl = _declOf(this.#schemas, pel, doc);
    const notes: string[] = [];
    const occursNote = _occursNote(occurs);
    if (occursNote !== undefined) notes.push(occursNote);
    if (_attr(decl.el, 'abstract') === 'true') {
      const subs = this.#schemas.substitutes(decl.q);
      const [first] = subs;
      if (first === undefined)
        notes.push(`abstract element ${decl.q.name}: substitute an element of its group`);
      else {
        notes.push(
          `substitution group ${decl.q.name}: one of ${subs.map((s) => _attr(s.el, 'name')).join(' | ')}`,
        );
        decl = {
          q: { ns: first.doc.targetNamespace, name: _attr(first.el, 'name') ?? '' },
          el: first.el,
          doc: first.doc,
        };
      }
    }
    const key = this.#typeKey(decl);
    if (occurs.min === 0 && key !== undefined && this.#expanding.has(key)) {
      // An optional element of a type being expanded: left out, so the skeleton stays valid.
      this.#w.note(parent, [`optional ${decl.q.name}: recursive, left out`], depth);
      return;
    }
    const copies = Math.min(Math.max(occurs.min, 1), MAX_COPIES);
    for (let i = 0; i < copies; i++) this.#emit(parent, decl, depth, i === 0 ? notes : []);
  }

  /** What #complex guards recursion with: a named complex type's key, or an anonymous type's node. */
  #typeKey(decl: _Decl): unknown {
    const type = _attr(decl.el, 'type');
    if (type !== undefined) return _key(_resolveQName(decl.el, type, decl.doc.file));
    const [inline] = childElements(decl.el, _NS.xs, 'complexType');
    return inline;
  }

  #emit(parent: Element, decl: _Decl, depth: number, notes: readonly string[]): void {
    if (this.#count >= MAX_ELEMENTS) {
      if (this.#count++ === MAX_ELEMENTS)
        this.#w.note(parent, [`template truncated at ${MAX_ELEMENTS} elements`], depth);
      return;
    }
    this.#count++;
    const el = this.#w.create(decl.q);
    const content = this.#fill(el, decl, depth);
    this.#w.place(parent, el, [...notes, ...content], depth);
  }

  /** Fills an element from its declaration; returns the notes for the comment before it. */
  #fill(el: Element, decl: _Decl, depth: number): string[] {
    const type = _attr(decl.el, 'type');
    const [inlineComplex] = childElements(decl.el, _NS.xs, 'complexType');
    const [inlineSimple] = childElements(decl.el, _NS.xs, 'simpleType');
    const fixed = _attr(decl.el, 'fixed');
    const dflt = _attr(decl.el, 'default');
    const key = this.#typeKey(decl);
    if (key !== undefined && this.#expanding.has(key) && _attr(decl.el, 'nillable') === 'true') {
      // A required element of a type being expanded: nil, so the skeleton stays valid.
      el.setAttributeNS(XSI, `${this.#w.prefix(XSI)}:nil`, 'true');
      return ['recursive: nil'];
    }
    let notes: string[];
    if (type !== undefined)
      notes = this.#fillType(el, _resolveQName(decl.el, type, decl.doc.file), fixed, dflt, depth);
    else if (inlineComplex !== undefined)
      notes = this.#complex(el, inlineComplex, decl.doc, depth, inlineComplex);
    else if (inlineSimple !== undefined)
      notes = this.#text(el, _simpleOf(this.#schemas, inlineSimple, decl.doc, 0), fixed, dflt);
    else notes = this.#fillType(el, { ns: _NS.xs, name: 'anyType' }, fixed, dflt, depth);
    this.#w.closeIndent(el, depth);
    return notes;
  }

  #fillType(
    el: Element,
    q: QName,
    fixed: string | undefined,
    dflt: string | undefined,
    depth: number,
  ): string[] {
    if (q.ns === _NS.xs && q.name === 'anyType') {
      if (fixed === undefined && dflt === undefined) el.appendChild(this.#w.doc.createTextNode('?'));
      return ['any content'];
    }
    const comp = q.ns === _NS.xs ? undefined : this.#schemas.type(q);
    if (comp !== undefined && comp.el.localName === 'complexType') {
      if (_attr(comp.el, 'abstract') === 'true') return this.#abstract(el, q, depth);
      return this.#complex(el, comp.el, comp.doc, depth, _key(q));
    }
    return this.#text(el, _simpleByName(this.#schemas, q), fixed, dflt);
  }

  /** An abstract complex type: the first concrete type derived from it, named by xsi:type. */
  #abstract(el: Element, q: QName, depth: number): string[] {
    const concrete = _concreteSubtypes(this.#schemas, q);
    const [first] = concrete;
    if (first === undefined) return [`abstract type ${q.name}: no concrete type derives from it`];
    const comp = this.#schemas.type(first)!;
    const value = first.ns === '' ? first.name : `${this.#w.prefix(first.ns)}:${first.name}`;
    el.setAttributeNS(XSI, `${this.#w.prefix(XSI)}:type`, value);
    return [
      `abstract type ${q.name}: xsi:type one of ${concrete.map((c) => c.name).join(' | ')}`,
      ...this.#complex(el, comp.el, comp.doc, depth, _key(first)),
    ];
  }

  #text(el: Element, info: _SimpleInfo, fixed: string | undefined, dflt: string | undefined): string[] {
    const value = fixed ?? dflt ?? _sample(info, this.#ids);
    if (value !== '') el.appendChild(this.#w.doc.createTextNode(value));
    if (fixed !== undefined) return ['fixed value'];
    return _facetNotes(info);
  }

  /** A complex type: content in order, attributes; a type already being expanded stops here. */
  #complex(el: Element, ct: Element, doc: SchemaDocument, depth: number, key: unknown): string[] {
    const name = typeof key === 'string' ? key.replace(/^\{.*\}/, '') : 'an anonymous type';
    if (this.#expanding.has(key)) return [`recursive: ${name} is not expanded again`];
    if (depth >= _MAX_DEPTH) return [`nested deeper than ${_MAX_DEPTH}: not expanded`];
    this.#expanding.add(key);
    try {
      const notes: string[] = [];
      const attrs = new Map<string, _AttrUse>();
      this.#complexBody(el, ct, doc, depth, notes, attrs, 0);
      _applyAttributes(el, attrs, notes, this.#schemas, this.#ids, this.#w);
      return notes;
    } finally {
      this.#expanding.delete(key);
    }
  }

  #complexBody(
    el: Element,
    ct: Element,
    doc: SchemaDocument,
    depth: number,
    notes: string[],
    attrs: Map<string, _AttrUse>,
    chain: number,
  ): void {
    if (_attr(ct, 'mixed') === 'true') notes.push('mixed content: text may surround the elements');
    for (const child of childElements(ct, _NS.xs)) {
      const local = child.localName ?? '';
      if (local === 'simpleContent') {
        const [derivation] = childElements(child, _NS.xs);
        const info = _simpleContentOf(this.#schemas, ct, doc, 0);
        notes.push(...this.#text(el, info, undefined, undefined));
        if (derivation !== undefined) {
          _baseAttributes(this.#schemas, derivation, doc, attrs, chain);
          _collectAttributes(this.#schemas, derivation, doc, attrs, 0);
        }
      } else if (local === 'complexContent') {
        const [derivation] = childElements(child, _NS.xs);
        if (derivation === undefined) continue;
        if (derivation.localName === 'extension') {
          const base = _baseType(this.#schemas, derivation, doc);
          if (base !== undefined && chain < _MAX_DEPTH)
            this.#complexBody(el, base.el, base.doc, depth, notes, attrs, chain + 1);
        } else _baseAttributes(this.#schemas, derivation, doc, attrs, chain);
        this.#particles(el, derivation, doc, depth);
        _collectAttributes(this.#schemas, derivation, doc, attrs, 0);
      } else if (_PARTICLES.has(local)) this.#particle(el, child, doc, depth + 1);
    }
    _collectAttributes(this.#schemas, ct, doc, attrs, 0);
  }

  #particles(el: Element, container: Element, doc: SchemaDocument, depth: number): void {
    for (const p of _particlesOf(container)) this.#particle(el, p, doc, depth + 1);
  }

  /** One particle of a content model, written at `depth`. */
  #particle(parent: Element, p: Element, doc: SchemaDocument, depth: number): void {
    const local = p.localName ?? '';
    if (local === 'element') {
      this.#element(parent, p, doc, depth);
      return;
    }
    const occurs = _occurs(p);
    if (occurs.max === 0) return;
    const occursNote = _occursNote(occurs);
    if (local === 'any') {
      const ns = _attr(p, 'namespace') ?? '##any';
      this.#w.note(parent, [...(occursNote ? [occursNote] : []), `any element (namespace ${ns})`], depth);
      for (let i = 0; i < Math.min(occurs.min, MAX_COPIES); i++) this.#wildcard(parent, p, doc, depth);
      return;
    }
    const copies = Math.min(Math.max(occurs.min, 1), MAX_COPIES);
    for (let i = 0; i < copies; i++) this.#group(parent, p, doc, depth, occursNote, i === 0);
  }

  /** One occurrence of a group, choice or sequence (notes on the `first` only). */
  #group(
    parent: Element,
    p: Element,
    doc: SchemaDocument,
    depth: number,
    occursNote: string | undefined,
    first: boolean,
  ): void {
    const local = p.localName ?? '';
    if (local === 'group') {
      const q = _resolveQName(p, _attr(p, 'ref') ?? '', doc.file);
      const comp = this.#schemas.group(q);
      if (comp === undefined) throw _undeclared('group', q, this.#schemas);
      if (first && occursNote !== undefined) this.#w.note(parent, [`group ${q.name}: ${occursNote}`], depth);
      const [model] = _particlesOf(comp.el);
      if (model !== undefined) this.#particle(parent, model, comp.doc, depth);
      return;
    }
    if (local === 'choice') {
      const alternatives = _particlesOf(p);
      const labels = alternatives.map((a) =>
        _choiceLabel(a, doc, (e) => _declOf(this.#schemas, e, doc).q.name),
      );
      if (first) {
        this.#w.note(
          parent,
          [`${occursNote ? `${occursNote} ` : ''}choice of one: ${labels.join(' | ')}`],
          depth,
        );
      }
      const [alternative] = alternatives;
      if (alternative !== undefined) this.#particle(parent, alternative, doc, depth);
      return;
    }
    if (first && occursNote !== undefined) this.#w.note(parent, [`${local} group: ${occursNote}`], depth);
    for (const child of _particlesOf(p)) this.#particle(parent, child, doc, depth);
  }

  /**
   * The element a required wildcard stands for: with processContents strict, the first global
   * element of an allowed namespace (not one being expanded); otherwise an empty `any` element
   * of an allowed namespace, which lax and skip wildcards accept undeclared.
   */
  #wildcard(parent: Element, p: Element, doc: SchemaDocument, depth: number): void {
    const { allowed, fallbackNs } = _wildcardNamespaces(p, doc);
    if ((_attr(p, 'processContents') ?? 'strict') === 'strict') {
      for (const g of this.#schemas.globalElements()) {
        const q = { ns: g.doc.targetNamespace, name: _attr(g.el, 'name') ?? '' };
        const decl = { q, el: g.el, doc: g.doc };
        if (!allowed(q.ns) || _attr(g.el, 'abstract') === 'true') continue;
        const key = this.#typeKey(decl);
        if (key !== undefined && this.#expanding.has(key)) continue;
        this.#emit(parent, decl, depth, []);
        return;
      }
    }
    this.#count++;
    this.#w.place(parent, this.#w.create({ ns: fallbackNs, name: 'any' }), [], depth);
  }
}
