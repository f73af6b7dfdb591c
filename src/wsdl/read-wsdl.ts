import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { _buildComponents } from './_build-model.ts';
import { _Collector } from './_collect.ts';
import { _Loader, DEFAULT_WSDL_LIMITS, type WsdlReadLimits } from './_loader.ts';
import { _NS } from './_qname.ts';
import { SchemaSet } from './schema-set.ts';
import type { WsdlModel } from './types.ts';

export interface ReadWsdlOptions {
  /** Overrides of DEFAULT_WSDL_LIMITS. */
  readonly limits?: Partial<WsdlReadLimits>;
}

/**
 * Reads a WSDL 1.1 file and the WSDL and XML Schema documents it imports or includes, from the
 * local file system only: a location is resolved against the file that names it; one with a
 * URI scheme (http, https, ftp, ...) is never fetched but matched by namespace with what the
 * local files declare, and refused (ERR_WSDL_IMPORT_REFUSED) when nothing does. Each file is
 * read once, so import cycles end; the number and size of the files are bounded (ERR_WSDL_LIMIT).
 *
 * Throws ERR_FILE_NOT_FOUND (the WSDL, or an imported file: the message names it and the
 * importer), ERR_WSDL_UNREADABLE, ERR_WSDL_INVALID (not well-formed, not WSDL 1.1, a reference
 * to a component no file defines), ERR_WSDL_UNSUPPORTED (WSDL 2.0).
 */
export async function readWsdl(path: string, options: ReadWsdlOptions = {}): Promise<WsdlModel> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError('readWsdl: path must be a non-empty string');
  const file = resolve(path);
  const loader = new _Loader({ ...DEFAULT_WSDL_LIMITS, ...options.limits });
  const root = (await loader.load(file, undefined))!;
  if (root.localName === 'description' && root.namespaceURI === _NS.wsdl2) {
    throw new PasserelleError('ERR_WSDL_UNSUPPORTED', `${file} is a WSDL 2.0 description`, {
      hint: 'Passerelle reads WSDL 1.1 (wsdl:definitions), which the Belgian platforms publish.',
      details: { file },
    });
  }
  if (root.localName !== 'definitions' || root.namespaceURI !== _NS.wsdl) {
    throw new PasserelleError('ERR_WSDL_INVALID', `${file} is not a WSDL 1.1 document`, {
      hint:
        root.namespaceURI === _NS.xs
          ? 'This is an XML Schema: give the .wsdl file that imports it.'
          : 'Give the .wsdl file of the service (root element wsdl:definitions).',
      details: {
        file,
        root: (root.localName ?? '').slice(0, 64),
        namespace: (root.namespaceURI ?? '').slice(0, 200),
      },
    });
  }
  const schemas = new SchemaSet();
  const collector = new _Collector(loader, schemas);
  await collector.wsdl(root, file);
  collector.finish();
  const components = _buildComponents(collector.definitions);
  return {
    path: file,
    files: [...loader.files],
    targetNamespace: collector.definitions[0]?.targetNamespace ?? '',
    ...components,
    schemas,
  };
}
