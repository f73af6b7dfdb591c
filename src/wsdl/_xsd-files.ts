import { childElements, declaredNamespaces, inScopeNamespaces } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import { createDocument, type Element } from '../xml/node.ts';
import { serializeXml } from '../xml/serialize.ts';
import { _target } from './_loader.ts';
import { _attr, _NS } from './_qname.ts';
import type { SchemaDocument, SchemaSet } from './schema-set.ts';

/** One schema file of the set, named relative to the set's root folder. */
export interface _XsdFile {
  readonly fileName: string;
  readonly contents: string;
}

/** The contract's schemas as standalone files, and the schema that imports every namespace. */
export interface _XsdFileSet {
  /** The file to validate with: imports every target namespace of the contract. */
  readonly main: _XsdFile;
  readonly files: readonly _XsdFile[];
}

/** The target namespace of the main schema (none of a contract's, so that it can import them all). */
export const _MAIN_NAMESPACE = 'urn:x-passerelle:xsd-validator';
const INCLUDES = new Set(['include', 'redefine', 'override']);

/** A schema element that is its file's root (not inline in a WSDL). */
const isFileRoot = (el: Element): boolean => el.parentNode?.nodeType === 9;

/**
 * Writes every schema document of `schemas` as a standalone file `s<n>.xsd` (an inline WSDL
 * schema with the namespace declarations in scope on it copied onto it), with each
 * `schemaLocation` rewritten to a file of the set: an include (redefine, override) to the file it
 * names, an import to the schema of its namespace (whatever location it gave, a remote one
 * included). A namespace written by several documents that do not include one another gets a
 * file `n<k>.xsd` including them all, since an XML Schema processor reads one document per
 * imported namespace. The main schema imports every namespace, so it validates any top-level
 * element the contract declares. The contract's DOM is not changed (copies are rewritten).
 */
export function _xsdFileSet(schemas: SchemaSet): _XsdFileSet {
  const docs = schemas.documents;
  const nameOf = new Map<Element, string>();
  const byPath = new Map<string, Element>();
  const firstDoc = new Map<Element, SchemaDocument>();
  for (const doc of docs) {
    if (nameOf.has(doc.root)) continue;
    nameOf.set(doc.root, `s${nameOf.size}.xsd`);
    firstDoc.set(doc.root, doc);
    if (isFileRoot(doc.root) && !byPath.has(doc.file)) byPath.set(doc.file, doc.root);
  }
  // Documents another one includes are read through it, not imported on their own.
  const included = new Set<Element>();
  const includeTarget = (el: Element, doc: SchemaDocument): Element | undefined => {
    const location = _attr(el, 'schemaLocation');
    if (location === undefined) return undefined;
    const target = _target(location, doc.file);
    return 'local' in target ? byPath.get(target.local) : undefined;
  };
  for (const [root, doc] of firstDoc) {
    for (const el of childElements(root, _NS.xs)) {
      if (!INCLUDES.has(el.localName ?? '')) continue;
      const target = includeTarget(el, doc);
      if (target !== undefined && target !== root) included.add(target);
    }
  }
  const roots = new Map<string, Element[]>();
  for (const doc of docs) {
    if (included.has(doc.root)) continue;
    const list = roots.get(doc.targetNamespace) ?? [];
    if (!list.includes(doc.root)) list.push(doc.root);
    roots.set(doc.targetNamespace, list);
  }
  const files: _XsdFile[] = [];
  const nsFile = new Map<string, string>();
  for (const [ns, list] of roots) {
    if (list.length === 1) {
      nsFile.set(ns, nameOf.get(list[0]!)!);
      continue;
    }
    const fileName = `n${nsFile.size}.xsd`;
    nsFile.set(ns, fileName);
    const includes = list.map((r) => ({ local: 'include', ns: undefined, location: nameOf.get(r)! }));
    files.push({ fileName, contents: _schema(ns, includes) });
  }
  for (const [root, doc] of firstDoc) {
    const copy = root.cloneNode(true);
    const own = declaredNamespaces(root);
    for (const [prefix, uri] of inScopeNamespaces(root)) {
      if (own.has(prefix)) continue;
      copy.setAttributeNS(NS.xmlns, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
    }
    for (const el of childElements(copy, _NS.xs)) {
      const local = el.localName ?? '';
      let location: string | undefined;
      if (local === 'import') location = nsFile.get(_attr(el, 'namespace') ?? '');
      else if (INCLUDES.has(local)) {
        const target = includeTarget(el, doc);
        location = target === undefined ? undefined : nameOf.get(target);
      }
      if (location !== undefined) el.setAttributeNS(null, 'schemaLocation', location);
    }
    files.push({ fileName: nameOf.get(root)!, contents: serializeXml(copy, { declareNamespaces: true }) });
  }
  const imports = [...nsFile]
    .filter(([ns]) => ns !== _MAIN_NAMESPACE)
    .map(([ns, location]) => ({ local: 'import', ns, location }));
  return { main: { fileName: 'main.xsd', contents: _schema(_MAIN_NAMESPACE, imports) }, files };
}

/** A schema of `targetNamespace` ('' for none) made of imports and includes only. */
function _schema(
  targetNamespace: string,
  refs: readonly { local: string; ns: string | undefined; location: string }[],
): string {
  const root = createDocument(_NS.xs, 'xs:schema').documentElement!;
  root.setAttributeNS(NS.xmlns, 'xmlns:xs', _NS.xs);
  if (targetNamespace !== '') root.setAttributeNS(null, 'targetNamespace', targetNamespace);
  for (const ref of refs) {
    const el = root.ownerDocument!.createElementNS(_NS.xs, `xs:${ref.local}`);
    if (ref.ns !== undefined && ref.ns !== '') el.setAttributeNS(null, 'namespace', ref.ns);
    el.setAttributeNS(null, 'schemaLocation', ref.location);
    root.appendChild(el);
  }
  return serializeXml(root);
}
