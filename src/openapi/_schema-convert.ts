/**
 * Contract schemas → JSON Schema draft 2020-12, for ajv and for the independent peer: OpenAPI
 * 3.0 / Swagger 2.0 `nullable` (and `x-nullable`) → a `null` type or alternative, draft-04 boolean
 * `exclusiveMinimum`/`exclusiveMaximum` → numeric, `type: file` → binary string; `example`, `xml`,
 * `discriminator` dropped. OpenAPI 3.1 schemas are 2020-12 already and only lose those annotations.
 * Internal references `#/...` are rewritten against the URN the converted document is registered
 * under, so a schema compiled on its own still resolves them.
 */
import { isObject, type JsonObject } from './_json.ts';
import type { JsonSchema, OpenApiVersion } from './types.ts';

/** The base URI of the converted document, for `$ref` resolution in ajv and the peer. */
export const CONTRACT_URN = 'urn:passerelle:contract';

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_ONE = [
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
];
const DROPPED = new Set(['example', 'xml', 'discriminator', 'externalDocs', 'x-example']);

export interface ConvertOptions {
  /** OpenAPI 3.0 or Swagger 2.0: apply the `nullable` / draft-04 / `file` conversions. */
  readonly legacy: boolean;
}

export function isLegacy(version: OpenApiVersion | undefined): boolean {
  return version !== '3.1';
}

/** The version a bundled document declares. */
export function documentVersion(document: JsonObject): OpenApiVersion {
  if (typeof document['openapi'] === 'string' && document['openapi'].startsWith('3.1')) return '3.1';
  if (typeof document['openapi'] === 'string') return '3.0';
  return '2.0';
}

/** One schema, deep-copied and converted. */
export function convertSchema(schema: unknown, options: ConvertOptions, depth = 0): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema) || depth > 256) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, convertSchema(v, options, depth + 1)]),
      );
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => convertSchema(v, options, depth + 1));
    } else if (SCHEMA_ONE.includes(key) && (isObject(value) || typeof value === 'boolean')) {
      out[key] = convertSchema(value, options, depth + 1);
    } else if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      out[key] = CONTRACT_URN + value;
    } else {
      out[key] = value;
    }
  }
  return options.legacy ? legacy(out) : out;
}

function legacy(out: Record<string, unknown>): JsonSchema {
  if (out['type'] === 'file') {
    out['type'] = 'string';
    out['format'] = 'binary';
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  const nullable = out['nullable'] === true || out['x-nullable'] === true;
  delete out['nullable'];
  delete out['x-nullable'];
  if (!nullable) return out;
  const composite = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not'].some((k) => k in out);
  if (composite || out['type'] === undefined) {
    return { anyOf: [out, { type: 'null' }] };
  }
  const types = Array.isArray(out['type']) ? out['type'] : [out['type']];
  if (!types.includes('null')) out['type'] = [...types, 'null'];
  if (Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  return out;
}

function convertNode(node: unknown, options: ConvertOptions, depth: number): unknown {
  if (depth > 64) return node;
  if (Array.isArray(node)) return node.map((n) => convertNode(n, options, depth + 1));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'schema') out[key] = convertSchema(value, options);
    else if ((key === 'schemas' || key === 'definitions') && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertSchema(v, options)]));
    } else if (key === 'example' || key === 'examples' || key.startsWith('x-')) out[key] = value;
    else out[key] = convertNode(value, options, depth + 1);
  }
  return out;
}

/** The bundled document with every schema converted (schema locations only, examples untouched). */
export function convertDocument(document: JsonObject): JsonObject {
  const options = { legacy: isLegacy(documentVersion(document)) };
  return convertNode(document, options, 0) as JsonObject;
}
