/**
 * The parts of template generation that need no template state: content-model particles,
 * choice labels, the attributes a derivation inherits, and writing required attributes.
 */
import { childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { type _AttrUse, _attributeType, _collectAttributes } from './_attributes.ts';
import { _occurs } from './_occurs.ts';
import { _attr, _NS, _resolveQName } from './_qname.ts';
import { type _Ids, _sample } from './_sample.ts';
import { _undeclared } from './_simple.ts';
import type { SchemaDocument, SchemaSet } from './schema-set.ts';
import type { QName } from './types.ts';

/** Nesting beyond which a type is not expanded (a bound for deep, not only recursive, types). */
export const _MAX_DEPTH = 24;
export const _PARTICLES = new Set(['element', 'sequence', 'choice', 'all', 'group', 'any']);

/** The particles (element, sequence, choice, all, group, any) directly inside `container`. */
export function _particlesOf(container: Element): Element[] {
  return childElements(container, _NS.xs).filter((c) => _PARTICLES.has(c.localName ?? ''));
}

/**
 * A short name for a choice alternative: `INSS`, `(CompanyID, SubentityId?)`, `any`;
 * `elementName` names an element particle (a reference or a local declaration).
 */
export function _choiceLabel(
  p: Element,
  doc: SchemaDocument,
  elementName: (el: Element) => string,
  level = 0,
): string {
  const local = p.localName ?? '';
  const optional = _occurs(p).min === 0 ? '?' : '';
  if (local === 'element') return `${elementName(p)}${optional}`;
  if (local === 'any') return `any${optional}`;
  if (local === 'group') return `${(_attr(p, 'ref') ?? '').replace(/^.*:/, '')}${optional}`;
  if (level > 2) return '(…)';
  const inner = _particlesOf(p).map((c) => _choiceLabel(c, doc, elementName, level + 1));
  return `(${inner.join(local === 'choice' ? ' | ' : ', ')})${optional}`;
}

/** The complex base type of a derivation (undefined for xs:anyType and simple bases). */
export function _baseType(schemas: SchemaSet, derivation: Element, doc: SchemaDocument) {
  const q = _resolveQName(derivation, _attr(derivation, 'base') ?? '', doc.file);
  if (q.ns === _NS.xs) return undefined;
  const comp = schemas.type(q);
  if (comp === undefined) throw _undeclared('type', q, schemas);
  return comp.el.localName === 'complexType' ? comp : undefined;
}

/** The attributes a derivation inherits from its complex base type, into `attrs`. */
export function _baseAttributes(
  schemas: SchemaSet,
  derivation: Element,
  doc: SchemaDocument,
  attrs: Map<string, _AttrUse>,
  chain: number,
): void {
  const base = _baseType(schemas, derivation, doc);
  if (base === undefined || chain >= _MAX_DEPTH) return;
  _collectAttributes(schemas, base.el, base.doc, attrs, 0);
  for (const content of childElements(base.el, _NS.xs)) {
    if (content.localName !== 'simpleContent' && content.localName !== 'complexContent') continue;
    for (const d of childElements(content, _NS.xs)) {
      _baseAttributes(schemas, d, base.doc, attrs, chain + 1);
      _collectAttributes(schemas, d, base.doc, attrs, 0);
    }
  }
}

/** Sets the required attributes on `el` (fixed, default or a sample); notes the optional ones. */
export function _applyAttributes(
  el: Element,
  attrs: Map<string, _AttrUse>,
  notes: string[],
  schemas: SchemaSet,
  ids: _Ids,
  writer: { prefix(ns: string): string },
): void {
  const optional: string[] = [];
  for (const a of attrs.values()) {
    if (!a.required) {
      optional.push(a.q.name);
      continue;
    }
    const value = a.fixed ?? a.dflt ?? _sample(_attributeType(schemas, a), ids);
    const q: QName = a.q;
    if (q.ns === '') el.setAttributeNS(null, q.name, value);
    else if (q.ns === NS.xml) el.setAttributeNS(NS.xml, `xml:${q.name}`, value);
    else el.setAttributeNS(q.ns, `${writer.prefix(q.ns)}:${q.name}`, value);
  }
  if (optional.length > 0)
    notes.push(`optional attribute${optional.length > 1 ? 's' : ''}: ${optional.join(', ')}`);
}

/** An element declaration: its name, its `xs:element` and the schema document holding it. */
export interface _Decl {
  readonly q: QName;
  readonly el: Element;
  readonly doc: SchemaDocument;
}

/** The declaration a particle `xs:element` stands for (a reference, or a local declaration). */
export function _declOf(schemas: SchemaSet, pel: Element, doc: SchemaDocument): _Decl {
  const ref = _attr(pel, 'ref');
  if (ref !== undefined) {
    const q = _resolveQName(pel, ref, doc.file);
    const comp = schemas.element(q);
    if (comp === undefined) throw _undeclared('element', q, schemas);
    return { q, el: comp.el, doc: comp.doc };
  }
  const form = _attr(pel, 'form');
  const qualified = form === undefined ? doc.elementFormQualified : form === 'qualified';
  return { q: { ns: qualified ? doc.targetNamespace : '', name: _attr(pel, 'name') ?? '' }, el: pel, doc };
}

/** The namespace of the element written for a required wildcard that accepts a foreign one. */
const ANY_NS = 'urn:x-passerelle:any';

/**
 * What a wildcard's `namespace` allows (`##any`, `##other`, a list with `##targetNamespace` and
 * `##local`), and the namespace of the empty element written when no global element stands for it.
 */
export function _wildcardNamespaces(
  p: Element,
  doc: SchemaDocument,
): { allowed: (ns: string) => boolean; fallbackNs: string } {
  const tns = doc.targetNamespace;
  const spec = (_attr(p, 'namespace') ?? '##any').trim();
  const listed = spec.split(/\s+/).map((n) => (n === '##targetNamespace' ? tns : n === '##local' ? '' : n));
  return {
    allowed: (ns) => spec === '##any' || (spec === '##other' ? ns !== tns && ns !== '' : listed.includes(ns)),
    fallbackNs: spec === '##any' || spec === '##other' ? ANY_NS : (listed[0] ?? ''),
  };
}

/** Subtypes searched for a concrete type to stand for an abstract one, at most. */
const MAX_SUBTYPES = 64;

/** The concrete types derived (at any depth, breadth first) from the abstract type `q`. */
export function _concreteSubtypes(schemas: SchemaSet, q: QName): QName[] {
  const concrete: QName[] = [];
  const queue = [q];
  for (let i = 0; i < queue.length && queue.length < MAX_SUBTYPES; i++) {
    for (const d of schemas.derivedTypes(queue[i]!)) {
      const dq = { ns: d.doc.targetNamespace, name: _attr(d.el, 'name') ?? '' };
      queue.push(dq);
      if (_attr(d.el, 'abstract') !== 'true') concrete.push(dq);
    }
  }
  return concrete;
}
