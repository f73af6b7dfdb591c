import { PasserelleError } from '../errors.ts';
import { childElements } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import { _attr, _key, _NS, _resolveQName } from './_qname.ts';
import type { SchemaDocument, SchemaSet } from './schema-set.ts';
import type { QName } from './types.ts';

/** A simple type reduced to its built-in base and the facets that matter to a placeholder. */
export interface _SimpleInfo {
  /** Local name of the XML Schema built-in type it derives from (`string`, `dateTime`, ...). */
  base: string;
  enums: string[];
  /** Every pattern of the derivation chain, most derived first (for the notes). */
  patterns: string[];
  /** The patterns per derivation step, most derived first: a value matches one of each step. */
  patternSteps: string[][];
  facets: Map<string, string>;
  list: boolean;
  /** For a list type: its item type (`facets` and `enums` are then the list's own). */
  item?: _SimpleInfo;
}

const FACETS = [
  'length',
  'minLength',
  'maxLength',
  'minInclusive',
  'maxInclusive',
  'minExclusive',
  'maxExclusive',
  'totalDigits',
  'fractionDigits',
];
const MAX_DERIVATION = 32;

export function _undeclared(kind: string, q: QName, schemas: SchemaSet): PasserelleError {
  const loaded = schemas.hasNamespace(q.ns);
  return new PasserelleError(
    'ERR_WSDL_INVALID',
    `The ${kind} ${_key(q)} is declared in none of the schemas read`,
    {
      hint: loaded
        ? 'Check the name against the schema of its namespace.'
        : `No schema of the namespace "${q.ns}" was read: import it with a local schemaLocation.`,
      details: { [kind]: _key(q), namespaceRead: loaded },
    },
  );
}

const builtin = (base: string): _SimpleInfo => ({
  base,
  enums: [],
  patterns: [],
  patternSteps: [],
  facets: new Map(),
  list: false,
});

/** The simple type `q` (a built-in or a named simpleType). */
export function _simpleByName(schemas: SchemaSet, q: QName, depth = 0): _SimpleInfo {
  if (q.ns === _NS.xs) return builtin(q.name);
  const found = schemas.type(q);
  if (found === undefined) throw _undeclared('type', q, schemas);
  if (found.el.localName === 'complexType') return _simpleContentOf(schemas, found.el, found.doc, depth + 1);
  return _simpleOf(schemas, found.el, found.doc, depth + 1);
}

/** The text content type of a complexType with simpleContent (`anySimpleType` otherwise). */
export function _simpleContentOf(
  schemas: SchemaSet,
  ct: Element,
  doc: SchemaDocument,
  depth: number,
): _SimpleInfo {
  const [content] = childElements(ct, _NS.xs, 'simpleContent');
  const [derivation] = content === undefined ? [] : childElements(content);
  if (derivation === undefined || depth > MAX_DERIVATION) return builtin('anySimpleType');
  return _restrict(schemas, derivation, doc, depth);
}

/** A simpleType element (named or anonymous). */
export function _simpleOf(schemas: SchemaSet, st: Element, doc: SchemaDocument, depth: number): _SimpleInfo {
  if (depth > MAX_DERIVATION) return builtin('string');
  for (const child of childElements(st, _NS.xs)) {
    if (child.localName === 'restriction') return _restrict(schemas, child, doc, depth);
    if (child.localName === 'list') {
      const item = _attr(child, 'itemType');
      const [inline] = childElements(child, _NS.xs, 'simpleType');
      const info =
        item !== undefined
          ? _simpleByName(schemas, _resolveQName(child, item, doc.file), depth + 1)
          : inline !== undefined
            ? _simpleOf(schemas, inline, doc, depth + 1)
            : builtin('string');
      return { ...builtin(info.base), list: true, item: info };
    }
    if (child.localName === 'union') {
      const [member] = (_attr(child, 'memberTypes') ?? '').split(/\s+/).filter(Boolean);
      const [inline] = childElements(child, _NS.xs, 'simpleType');
      if (member !== undefined)
        return _simpleByName(schemas, _resolveQName(child, member, doc.file), depth + 1);
      if (inline !== undefined) return _simpleOf(schemas, inline, doc, depth + 1);
    }
  }
  return builtin('string');
}

/** A restriction or extension: its own facets over those of its base. */
function _restrict(schemas: SchemaSet, derivation: Element, doc: SchemaDocument, depth: number): _SimpleInfo {
  const base = _attr(derivation, 'base');
  const [inline] = childElements(derivation, _NS.xs, 'simpleType');
  const info: _SimpleInfo =
    base !== undefined
      ? _simpleByName(schemas, _resolveQName(derivation, base, doc.file), depth + 1)
      : inline !== undefined
        ? _simpleOf(schemas, inline, doc, depth + 1)
        : builtin('anySimpleType');
  const enums: string[] = [];
  const patterns: string[] = [];
  const facets = new Map(info.facets);
  for (const f of childElements(derivation, _NS.xs)) {
    const value = _attr(f, 'value');
    if (value === undefined) continue;
    if (f.localName === 'enumeration') enums.push(value);
    else if (f.localName === 'pattern') patterns.push(value);
    else if (FACETS.includes(f.localName ?? '')) facets.set(f.localName!, value);
  }
  return {
    base: info.base,
    enums: enums.length > 0 ? enums : info.enums,
    patterns: [...patterns, ...info.patterns],
    patternSteps: patterns.length > 0 ? [patterns, ...info.patternSteps] : info.patternSteps,
    facets,
    list: info.list,
    ...(info.item === undefined ? {} : { item: info.item }),
  };
}

const MAX_ENUMS = 12;

/** What the placeholder does not show: the allowed values, patterns, lengths and bounds. */
export function _facetNotes(info: _SimpleInfo): string[] {
  const notes: string[] = [];
  if (info.list) {
    notes.push('a space-separated list');
    if (info.enums.length === 0 && info.item !== undefined) notes.push(..._facetNotes(info.item));
    notes.push(..._lengthNotes(info.facets, 'items'));
    if (info.enums.length === 0) return notes;
  }
  if (info.enums.length > 0) {
    const shown = info.enums.slice(0, MAX_ENUMS).join(' | ');
    notes.push(
      `one of: ${shown}${info.enums.length > MAX_ENUMS ? ` | … (${info.enums.length} values)` : ''}`,
    );
    return notes;
  }
  if (info.patterns.length > 0) notes.push(`pattern ${info.patterns.join(' and ')}`);
  const f = info.facets;
  notes.push(..._lengthNotes(f, 'length'));
  const lo = f.get('minInclusive') ?? (f.has('minExclusive') ? `>${f.get('minExclusive')}` : undefined);
  const hi = f.get('maxInclusive') ?? (f.has('maxExclusive') ? `<${f.get('maxExclusive')}` : undefined);
  if (lo !== undefined || hi !== undefined) notes.push(`range ${lo ?? ''}..${hi ?? ''}`);
  return notes;
}

function _lengthNotes(f: ReadonlyMap<string, string>, what: string): string[] {
  if (f.has('length')) return [`${what} ${f.get('length')}`];
  if (f.has('minLength') && f.has('maxLength'))
    return [`${what} ${f.get('minLength')}..${f.get('maxLength')}`];
  if (f.has('maxLength')) return [`${what} at most ${f.get('maxLength')}`];
  if (f.has('minLength')) return [`${what} at least ${f.get('minLength')}`];
  return [];
}
