import { basename } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { childElements, isNamed } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import type { _Loader } from './_loader.ts';
import { _target } from './_loader.ts';
import { _attr, _NS } from './_qname.ts';
import type { SchemaSet } from './schema-set.ts';

/** A `wsdl:definitions` read, with the file it came from. */
export interface _Definitions {
  readonly root: Element;
  readonly file: string;
  readonly targetNamespace: string;
}

interface _Remote {
  readonly kind: 'wsdl' | 'schema';
  readonly namespace: string | undefined;
  readonly location: string;
  readonly file: string;
}

/** Namespaces every XML Schema processor knows without reading a schema document. */
const BUILT_IN = new Set<string>([_NS.xml, _NS.xs]);

/**
 * Reads a WSDL and everything it imports or includes, locally: `wsdl:import`, `xsd:import`,
 * `xsd:include` (and `redefine`/`override`, read as includes). A location with a URI scheme is
 * never fetched: it is matched by namespace against what the local files declare, and refused
 * when nothing local declares that namespace. Each file is read once (import cycles end).
 */
export class _Collector {
  readonly definitions: _Definitions[] = [];
  readonly #loader: _Loader;
  readonly #schemas: SchemaSet;
  readonly #remote: _Remote[] = [];

  constructor(loader: _Loader, schemas: SchemaSet) {
    this.#loader = loader;
    this.#schemas = schemas;
  }

  async wsdl(root: Element, file: string): Promise<void> {
    const targetNamespace = _attr(root, 'targetNamespace') ?? '';
    this.definitions.push({ root, file, targetNamespace });
    this.#schemas.notePrefixes(root);
    for (const child of childElements(root)) {
      if (isNamed(child, _NS.wsdl, 'import')) await this.#wsdlImport(child, file);
      else if (isNamed(child, _NS.wsdl, 'types')) {
        for (const schema of childElements(child, _NS.xs, 'schema'))
          await this.schema(schema, file, undefined);
      }
    }
  }

  async #wsdlImport(el: Element, file: string): Promise<void> {
    const location = _attr(el, 'location');
    const namespace = _attr(el, 'namespace');
    if (location === undefined || location.trim() === '') return;
    const target = _target(location, file);
    if ('remote' in target) {
      this.#remote.push({ kind: 'wsdl', namespace, location: target.remote, file });
      return;
    }
    const root = await this.#loader.load(target.local, file);
    if (root === undefined) return;
    if (isNamed(root, _NS.wsdl, 'definitions')) await this.wsdl(root, target.local);
    else if (isNamed(root, _NS.xs, 'schema')) await this.schema(root, target.local, undefined);
    else throw _notA('a WSDL 1.1 or XML Schema document', target.local, root);
  }

  /** Registers a schema document (`chameleon`: the namespace an include without one takes). */
  async schema(root: Element, file: string, chameleon: string | undefined): Promise<void> {
    const targetNamespace = _attr(root, 'targetNamespace') ?? chameleon ?? '';
    this.#schemas.add({
      file,
      root,
      targetNamespace,
      elementFormQualified: _attr(root, 'elementFormDefault') === 'qualified',
      attributeFormQualified: _attr(root, 'attributeFormDefault') === 'qualified',
    });
    for (const child of childElements(root)) {
      if (child.namespaceURI !== _NS.xs) continue;
      if (child.localName === 'import') await this.#schemaImport(child, file);
      else if (['include', 'redefine', 'override'].includes(child.localName ?? ''))
        await this.#include(child, file, targetNamespace);
    }
  }

  async #schemaImport(el: Element, file: string): Promise<void> {
    const location = _attr(el, 'schemaLocation');
    const namespace = _attr(el, 'namespace') ?? '';
    if (location === undefined || location.trim() === '') return;
    const target = _target(location, file);
    if ('remote' in target) {
      this.#remote.push({ kind: 'schema', namespace, location: target.remote, file });
      return;
    }
    const root = await this.#loader.load(target.local, file);
    if (root === undefined) return;
    if (!isNamed(root, _NS.xs, 'schema')) throw _notA('an XML Schema document', target.local, root);
    const declared = _attr(root, 'targetNamespace') ?? '';
    if (declared !== namespace) {
      throw new PasserelleError(
        'ERR_WSDL_INVALID',
        `${basename(file)} imports namespace "${namespace}" from ${basename(target.local)}, which declares "${declared}"`,
        {
          hint: 'Point the schemaLocation at the schema of that namespace.',
          details: { file, schema: target.local, namespace, declared },
        },
      );
    }
    await this.schema(root, target.local, undefined);
  }

  async #include(el: Element, file: string, targetNamespace: string): Promise<void> {
    const location = _attr(el, 'schemaLocation');
    if (location === undefined || location.trim() === '') {
      throw new PasserelleError(
        'ERR_WSDL_INVALID',
        `${basename(file)}: an xsd:${el.localName} without schemaLocation`,
        {
          hint: 'An include names the schema file it includes.',
          details: { file },
        },
      );
    }
    const target = _target(location, file);
    if ('remote' in target) throw _refused(target.remote, file, targetNamespace);
    const root = await this.#loader.load(target.local, file, targetNamespace);
    if (root === undefined) return;
    if (!isNamed(root, _NS.xs, 'schema')) throw _notA('an XML Schema document', target.local, root);
    const declared = _attr(root, 'targetNamespace');
    if (declared !== undefined && declared !== targetNamespace) {
      throw new PasserelleError(
        'ERR_WSDL_INVALID',
        `${basename(file)} includes ${basename(target.local)}, whose namespace "${declared}" is not "${targetNamespace}"`,
        {
          hint: 'An included schema has the includer’s target namespace, or none. Use xsd:import for another namespace.',
          details: { file, schema: target.local, namespace: targetNamespace, declared },
        },
      );
    }
    await this.schema(root, target.local, targetNamespace);
  }

  /** Refuses every remote import whose namespace no local file declared. */
  finish(): void {
    for (const r of this.#remote) {
      const matched =
        r.kind === 'wsdl'
          ? this.definitions.some((d) => d.targetNamespace === r.namespace)
          : BUILT_IN.has(r.namespace ?? '') || this.#schemas.hasNamespace(r.namespace ?? '');
      if (!matched) throw _refused(r.location, r.file, r.namespace);
    }
  }
}

function _refused(location: string, file: string, namespace: string | undefined): PasserelleError {
  return new PasserelleError(
    'ERR_WSDL_IMPORT_REFUSED',
    `${basename(file)} imports ${location.slice(0, 200)}: remote locations are never fetched`,
    {
      hint: 'Download the file next to the contract and point the location at it (a relative path), or import its namespace from a local file.',
      details: { file, location: location.slice(0, 500), ...(namespace === undefined ? {} : { namespace }) },
    },
  );
}

function _notA(what: string, file: string, root: Element): PasserelleError {
  return new PasserelleError('ERR_WSDL_INVALID', `${file} is not ${what}`, {
    hint: 'Check the import locations of the contract.',
    details: {
      file,
      root: (root.localName ?? '').slice(0, 64),
      namespace: (root.namespaceURI ?? '').slice(0, 200),
    },
  });
}
