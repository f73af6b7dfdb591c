/** Swagger 2.0 specifics of the normalisation: parameter schemas, `body`/`formData` bodies, responses. */
import { follow, isObject, type JsonObject } from './_json.ts';
import type { ContractBody, ContractMedia, JsonSchema } from './types.ts';

/** The JSON Schema keywords a Swagger 2.0 non-body parameter (or its `items`) carries. */
const PARAMETER_KEYWORDS = [
  'type',
  'format',
  'enum',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
] as const;

/** The schema of a Swagger 2.0 non-body parameter, built from its `type`, `format`, `items`, ... */
export function parameterSchemaV2(p: JsonObject): JsonSchema {
  const schema: Record<string, unknown> = {};
  for (const key of PARAMETER_KEYWORDS) if (p[key] !== undefined) schema[key] = p[key];
  if (schema['type'] === 'file') {
    schema['type'] = 'string';
    schema['format'] = 'binary';
  }
  if (isObject(p['items'])) schema['items'] = parameterSchemaV2(p['items']);
  return schema;
}

function mediaTypes(op: JsonObject, doc: JsonObject, key: 'consumes' | 'produces'): string[] {
  const own = op[key] ?? doc[key];
  return Array.isArray(own) && own.length > 0 ? own.map(String) : ['application/json'];
}

/** The request body of a Swagger 2.0 operation from its `body` or `formData` parameters. */
export function bodyV2(
  params: readonly JsonObject[],
  op: JsonObject,
  doc: JsonObject,
): ContractBody | undefined {
  const consumes = mediaTypes(op, doc, 'consumes');
  const body = params.find((p) => p['in'] === 'body');
  if (body !== undefined) {
    const schema = (body['schema'] ?? {}) as JsonSchema;
    return {
      required: body['required'] === true,
      contents: consumes.map((mediaType) => ({ mediaType, schema, example: body['x-example'] })),
    };
  }
  const fields = params.filter((p) => p['in'] === 'formData');
  if (fields.length === 0) return undefined;
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of fields) {
    const name = String(f['name']);
    properties[name] = parameterSchemaV2(f);
    if (f['required'] === true) required.push(name);
  }
  const schema: JsonSchema = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
  const forms = consumes.filter((m) => /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(m));
  const types = forms.length > 0 ? forms : ['multipart/form-data'];
  return {
    required: required.length > 0,
    contents: types.map((mediaType) => ({ mediaType, schema, example: undefined })),
  };
}

/** The contents of a Swagger 2.0 response: its `schema` for each `produces` media type. */
export function responseContentsV2(response: JsonObject, op: JsonObject, doc: JsonObject): ContractMedia[] {
  const resolved = follow(doc, response);
  if (!isObject(resolved) || resolved['schema'] === undefined) return [];
  const schema = resolved['schema'] as JsonSchema;
  const examples = isObject(resolved['examples']) ? resolved['examples'] : {};
  return mediaTypes(op, doc, 'produces').map((mediaType) => ({
    mediaType,
    schema,
    example: examples[mediaType],
  }));
}
