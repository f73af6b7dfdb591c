import { childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { _attr, _key, _NS, _resolveQName } from './_qname.ts';
import { type _SimpleInfo, _simpleByName, _simpleOf, _undeclared } from './_simple.ts';
import type { SchemaDocument, SchemaSet } from './schema-set.ts';
import type { QName } from './types.ts';

const MAX_GROUP_DEPTH = 24;

/** An attribute an element type allows: required ones are written, optional ones named in a comment. */
export interface _AttrUse {
  readonly q: QName;
  readonly required: boolean;
  readonly decl: Element | undefined;
  readonly doc: SchemaDocument | undefined;
  readonly fixed: string | undefined;
  readonly dflt: string | undefined;
}

/** The attribute uses declared on `owner` (attributes and attribute group references). */
export function _collectAttributes(
  schemas: SchemaSet,
  owner: Element,
  doc: SchemaDocument,
  attrs: Map<string, _AttrUse>,
  level: number,
): void {
  for (const a of childElements(owner, _NS.xs)) {
    if (a.localName === 'attributeGroup' && level < MAX_GROUP_DEPTH) {
      const q = _resolveQName(a, _attr(a, 'ref') ?? '', doc.file);
      const comp = schemas.attributeGroup(q);
      if (comp === undefined) throw _undeclared('attributeGroup', q, schemas);
      _collectAttributes(schemas, comp.el, comp.doc, attrs, level + 1);
    }
    if (a.localName !== 'attribute') continue;
    const use = _attr(a, 'use') ?? 'optional';
    const ref = _attr(a, 'ref');
    let use_: _AttrUse;
    if (ref !== undefined) {
      const q = _resolveQName(a, ref, doc.file);
      const comp = schemas.attribute(q);
      if (comp === undefined && q.ns !== NS.xml) throw _undeclared('attribute', q, schemas);
      use_ = {
        q,
        required: use === 'required',
        decl: comp?.el,
        doc: comp?.doc,
        fixed: _attr(a, 'fixed') ?? (comp && _attr(comp.el, 'fixed')),
        dflt: _attr(a, 'default') ?? (comp && _attr(comp.el, 'default')),
      };
    } else {
      const form = _attr(a, 'form');
      const qualified = form === undefined ? doc.attributeFormQualified : form === 'qualified';
      const q = { ns: qualified ? doc.targetNamespace : '', name: _attr(a, 'name') ?? '' };
      use_ = {
        q,
        required: use === 'required',
        decl: a,
        doc,
        fixed: _attr(a, 'fixed'),
        dflt: _attr(a, 'default'),
      };
    }
    if (use === 'prohibited') attrs.delete(_key(use_.q));
    else attrs.set(_key(use_.q), use_);
  }
}

/** The simple type of an attribute (xml:lang and other xml: attributes are built in). */
export function _attributeType(schemas: SchemaSet, a: _AttrUse): _SimpleInfo {
  if (a.decl === undefined || a.doc === undefined)
    return _simpleByName(schemas, { ns: _NS.xs, name: a.q.name === 'lang' ? 'language' : 'string' });
  const type = _attr(a.decl, 'type');
  const [inline] = childElements(a.decl, _NS.xs, 'simpleType');
  if (type !== undefined) return _simpleByName(schemas, _resolveQName(a.decl, type, a.doc.file));
  if (inline !== undefined) return _simpleOf(schemas, inline, a.doc, 0);
  return _simpleByName(schemas, { ns: _NS.xs, name: 'string' });
}
