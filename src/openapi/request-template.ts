import { isFormMedia, resolveSchema } from './_coerce.ts';
import { isJsonMedia, isObject } from './_json.ts';
import { preferJson, sampleBytes } from './_media.ts';
import { compilerFor } from './_schema-compiler.ts';
import { sampleValue } from './sample-value.ts';
import type { ContractMedia, ContractOperation, ContractParameter, OpenApiContract } from './types.ts';

export interface RequestTemplate {
  /** Parameter values as strings, by name (`query.name` when a name is used in two locations). */
  readonly params: Record<string, string>;
  /** The body's media type (JSON preferred), undefined without a body. */
  readonly contentType: string | undefined;
  /** A valid sample: JSON value, form fields (files as `{ filename, contentType, bytes }`), or bytes. */
  readonly body: unknown;
}

const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

function wire(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(wire).join(',');
  if (isObject(value)) return JSON.stringify(value);
  return String(value);
}

function parameterValue(contract: OpenApiContract, p: ContractParameter): unknown {
  const compiler = compilerFor(contract.document);
  const schema = resolveSchema(contract.document, p.schema);
  const given = [p.example];
  if (typeof schema === 'object') {
    given.push(
      schema['example'],
      ...(Array.isArray(schema['examples']) ? schema['examples'] : []),
      schema['default'],
    );
  }
  const found = given.find((v) => v !== undefined && compiler.valid(p.schema, v));
  if (found !== undefined || !p.required) return found;
  return sampleValue(p.schema, contract.document);
}

function isBinary(document: unknown, schema: unknown): boolean {
  const s = resolveSchema(document, schema);
  return typeof s === 'object' && (s['format'] === 'binary' || s['type'] === 'file');
}

function bodySample(contract: OpenApiContract, media: ContractMedia): unknown {
  const { mediaType, schema } = media;
  if (!isJsonMedia(mediaType) && !isFormMedia(mediaType)) return sampleBytes(mediaType);
  const compiler = compilerFor(contract.document);
  if (media.example !== undefined && (schema === undefined || compiler.valid(schema, media.example))) {
    if (isJsonMedia(mediaType)) return media.example;
  }
  const value = schema === undefined ? {} : sampleValue(schema, contract.document);
  if (!isFormMedia(mediaType) || !isObject(value)) return value;
  const resolved = resolveSchema(contract.document, schema);
  const properties =
    typeof resolved === 'object' && isObject(resolved['properties']) ? resolved['properties'] : {};
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    fields[name] = isBinary(contract.document, properties[name])
      ? { filename: `${name}.pdf`, contentType: 'application/pdf', bytes: sampleBytes('application/pdf') }
      : field;
  }
  return fields;
}

/**
 * A request that satisfies the operation: its required parameters plus the optional ones with an
 * example or default, and a sample body (JSON preferred). Feed it to buildRequest.
 */
export function requestTemplate(contract: OpenApiContract, op: ContractOperation): RequestTemplate {
  const params: Record<string, string> = {};
  for (const p of op.parameters) {
    if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
    const value = parameterValue(contract, p);
    if (value === undefined) continue;
    const shared = op.parameters.filter((q) => q.name === p.name).length > 1;
    params[shared ? `${p.in}.${p.name}` : p.name] = wire(value);
  }
  const media = op.body === undefined ? undefined : preferJson(op.body.contents);
  if (media === undefined) return { params, contentType: undefined, body: undefined };
  return { params, contentType: media.mediaType, body: bodySample(contract, media) };
}
