/**
 * What the validator checks, built from what travels on the wire: parameter strings coerced to
 * their schema's type (integer, number, boolean; arrays from repeated or comma-separated values),
 * form fields likewise, a file field as its bytes in a string (it satisfies `format: binary`).
 */
import { atPointer, bareMediaType, isJsonMedia, isObject, type JsonObject } from './_json.ts';
import type { JsonSchema } from './types.ts';

/** A schema with its top-level `$ref`s followed (up to a bound). */
export function resolveSchema(document: unknown, schema: unknown): JsonObject | boolean {
  let node = schema;
  for (let i = 0; i < 32 && isObject(node) && typeof node['$ref'] === 'string'; i++) {
    node = atPointer(document, node['$ref']);
  }
  return isObject(node) ? node : node !== false;
}

/** The JSON types a schema admits, looking through `$ref`, `allOf`, `anyOf`, `oneOf`. */
export function typesOf(document: unknown, schema: unknown, depth = 0): string[] {
  const s = resolveSchema(document, schema);
  if (typeof s === 'boolean' || depth > 8) return [];
  if (typeof s['type'] === 'string') return [s['type']];
  if (Array.isArray(s['type'])) return s['type'].map(String);
  const parts = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : []));
  const found = parts.flatMap((p) => typesOf(document, p, depth + 1));
  if (found.length > 0) return [...new Set(found)];
  if (Array.isArray(s['enum'])) return [...new Set(s['enum'].map((v) => (v === null ? 'null' : typeof v)))];
  if (isObject(s['properties'])) return ['object'];
  return [];
}

function coerceScalar(value: string, types: readonly string[]): unknown {
  for (const type of types) {
    if (type === 'string') return value;
    if (type === 'integer' && /^[+-]?\d+$/.test(value)) return Number(value);
    if (type === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    if (type === 'null' && value === 'null') return null;
  }
  return value;
}

function itemsOf(document: unknown, schema: unknown): unknown {
  const s = resolveSchema(document, schema);
  return typeof s === 'object' ? (s['items'] ?? {}) : {};
}

/** A parameter's wire value(s) as the JSON value its schema describes. */
export function coerceValue(
  document: unknown,
  schema: JsonSchema,
  raw: string | readonly string[],
  explode: boolean,
): unknown {
  const types = typesOf(document, schema);
  if (types.includes('array')) {
    const values = typeof raw === 'string' ? (explode ? [raw] : raw === '' ? [] : raw.split(',')) : [...raw];
    const itemTypes = typesOf(document, itemsOf(document, schema));
    return values.map((v) => coerceScalar(v, itemTypes));
  }
  if (typeof raw !== 'string') return raw.length === 1 ? coerceScalar(raw[0]!, types) : [...raw];
  return coerceScalar(raw, types);
}

/** A file part of a multipart body. */
export interface FilePart {
  readonly filename?: string;
  readonly contentType?: string;
  readonly bytes: Uint8Array;
}

export function isFilePart(value: unknown): value is FilePart {
  return isObject(value) && value['bytes'] instanceof Uint8Array;
}

function propertySchema(document: unknown, schema: unknown, name: string, depth = 0): unknown {
  const s = resolveSchema(document, schema);
  if (typeof s === 'boolean' || depth > 8) return undefined;
  if (isObject(s['properties']) && s['properties'][name] !== undefined) return s['properties'][name];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    for (const part of Array.isArray(s[key]) ? s[key] : []) {
      const found = propertySchema(document, part, name, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Whether a form body media type (multipart or url-encoded). */
export function isFormMedia(mediaType: string): boolean {
  const bare = bareMediaType(mediaType);
  return bare === 'multipart/form-data' || bare === 'application/x-www-form-urlencoded';
}

/**
 * The value to validate for a body of `mediaType`, or `undefined` when the body is not checked
 * against a schema (bytes of a non-JSON, non-form type).
 */
export function bodyInstance(
  document: unknown,
  mediaType: string,
  schema: JsonSchema | undefined,
  body: unknown,
): { readonly value: unknown } | undefined {
  if (isJsonMedia(mediaType)) return { value: body };
  if (!isFormMedia(mediaType) || !isObject(body)) return undefined;
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    const field = propertySchema(document, schema, name) ?? {};
    const one = (v: unknown): unknown => {
      if (isFilePart(v)) return Buffer.from(v.bytes).toString('latin1');
      if (typeof v === 'string') return coerceValue(document, field as JsonSchema, v, true);
      return v;
    };
    if (Array.isArray(value)) {
      const isArray = typesOf(document, field).includes('array');
      fields[name] = isArray ? value.flatMap(one) : value.length === 1 ? one(value[0]) : value.map(one);
    } else {
      fields[name] = one(value);
    }
  }
  return { value: fields };
}
