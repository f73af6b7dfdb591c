import { realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundle, type ParserOptions, validate } from '@readme/openapi-parser';
import { PasserelleError } from '../errors.ts';
import { isObject, type JsonObject } from './_json.ts';
import { normaliseOperations } from './_normalise.ts';
import { type ScannedFiles, scanContract } from './_ref-scan.ts';
import type { OpenApiContract, OpenApiVersion } from './types.ts';

export interface LoadOpenApiOptions {
  /** Total bytes of the contract and the files it references (default 8 MiB). */
  readonly maxBytes?: number;
  /** Number of files (the contract and those it references; default 64). */
  readonly maxFiles?: number;
}

function versionOf(doc: JsonObject, file: string): OpenApiVersion {
  const openapi = doc['openapi'];
  if (typeof openapi === 'string' && /^3\.0\.\d+/.test(openapi)) return '3.0';
  if (typeof openapi === 'string' && /^3\.1\.\d+/.test(openapi)) return '3.1';
  if (String(doc['swagger']) === '2.0' || String(doc['swagger']) === '2') return '2.0';
  throw new PasserelleError(
    'ERR_CONTRACT_INVALID',
    `${file} is not an OpenAPI 3.0/3.1 or Swagger 2.0 document`,
    {
      details: {
        file,
        errors: [
          openapi !== undefined
            ? `unsupported openapi version ${String(openapi).slice(0, 20)}`
            : 'no openapi or swagger field',
        ],
      },
    },
  );
}

/**
 * The parser reads only what the scan read: a resolver serving the scanned documents, refusing
 * everything else (a second guard behind the scan), and an HTTP resolver that reads nothing.
 */
function parserOptions(scanned: ScannedFiles): ParserOptions {
  const files = {
    order: 1,
    canRead: () => true,
    async read(file: { url: string }): Promise<Buffer> {
      const url = file.url;
      if (/^[a-z][a-z0-9+.-]+:/i.test(url) && !url.toLowerCase().startsWith('file:')) {
        throw new Error(`refused to read ${url.slice(0, 200)}`);
      }
      const path = url.toLowerCase().startsWith('file:') ? fileURLToPath(url) : decodeURI(url);
      const real = await realpath(path).catch(() => path);
      const doc = scanned.documents.get(real);
      if (doc === undefined) throw new Error(`refused to read ${path}: not part of the scanned contract`);
      return Buffer.from(JSON.stringify(doc));
    },
  };
  const noHttp = {
    canRead: () => false,
    read: () => Promise.reject(new Error('remote references are refused')),
  };
  return {
    resolve: { external: true, file: files, http: noHttp },
    dereference: { circular: 'ignore' },
  } as unknown as ParserOptions;
}

function firstLines(message: string): string {
  return message
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 2)
    .join(' ')
    .slice(0, 300);
}

function apiNameOf(info: JsonObject, title: string): string {
  const explicit = info['x-passerelle-api'];
  if (typeof explicit === 'string' && explicit.trim() !== '') return explicit.trim();
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function serversOf(doc: JsonObject, version: OpenApiVersion): string[] {
  if (version !== '2.0') {
    const servers = Array.isArray(doc['servers']) ? doc['servers'] : [];
    return servers.flatMap((s) => (isObject(s) && typeof s['url'] === 'string' ? [s['url']] : []));
  }
  const basePath = typeof doc['basePath'] === 'string' ? doc['basePath'] : '';
  const host = typeof doc['host'] === 'string' ? doc['host'] : undefined;
  if (host === undefined) return basePath === '' ? [] : [basePath];
  const schemes = Array.isArray(doc['schemes']) && doc['schemes'].length > 0 ? doc['schemes'] : ['https'];
  return schemes.map((scheme) => `${String(scheme)}://${host}${basePath}`);
}

/**
 * Reads an OpenAPI 3.0/3.1 or Swagger 2.0 contract (YAML or JSON), validates it, bundles every
 * local `$ref` into the document, and normalises its operations. A `$ref` to a URL or outside
 * the contract's folder is refused (ERR_CONTRACT_REMOTE_REF) before anything is resolved.
 */
export async function loadOpenApi(file: string, options: LoadOpenApiOptions = {}): Promise<OpenApiContract> {
  const { maxBytes = 8 * 1024 * 1024, maxFiles = 64 } = options;
  const scanned = await scanContract(file, { maxBytes, maxFiles });
  const root = scanned.documents.get(scanned.file);
  if (!isObject(root)) {
    throw new PasserelleError('ERR_CONTRACT_INVALID', `${file} is not an OpenAPI document`, {
      details: { file, errors: ['the document is not an object'] },
    });
  }
  const version = versionOf(root, file);
  const opts = parserOptions(scanned);
  let document: JsonObject;
  try {
    const result = await validate(scanned.file, opts);
    if (!result.valid) {
      const errors = result.errors.slice(0, 10).map((e) => firstLines(e.message));
      throw new PasserelleError('ERR_CONTRACT_INVALID', `${file} breaks the OpenAPI ${version} schema`, {
        details: { file, errors, more: result.additionalErrors },
      });
    }
    document = (await bundle(scanned.file, opts)) as unknown as JsonObject;
  } catch (e) {
    if (e instanceof PasserelleError) throw e;
    throw new PasserelleError('ERR_CONTRACT_INVALID', `${file} cannot be parsed as OpenAPI`, {
      details: { file, errors: [firstLines(String((e as Error).message ?? e))] },
      cause: e,
    });
  }
  const info = isObject(document['info']) ? document['info'] : {};
  const title = typeof info['title'] === 'string' ? info['title'] : '';
  return {
    file: scanned.file,
    version,
    title,
    contractVersion: typeof info['version'] === 'string' ? info['version'] : String(info['version'] ?? ''),
    apiName: apiNameOf(info, title),
    servers: serversOf(document, version),
    operations: normaliseOperations(document, version),
    document,
  };
}
