/**
 * Generates a value that validates against a contract schema (see sample-value.ts): examples,
 * defaults, const and enum first when valid, else built from the type and its constraints.
 */
import { atPointer, isObject, type JsonObject } from './_json.ts';
import { patternSample } from './_pattern-sample.ts';
import type { SchemaCompiler } from './_schema-compiler.ts';

/** Depth below which objects get all their properties; beyond it only the required ones. */
const FULL_DEPTH = 6;
/** Hard bound: beyond it, the smallest value of the type. */
const MAX_DEPTH = 14;

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-31T12:00:00Z',
  date: '2024-01-31',
  time: '12:00:00Z',
  duration: 'P1D',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  iri: 'https://example.com/',
  'uri-reference': '/sample',
  'iri-reference': '/sample',
  'uri-template': 'https://example.com/{id}',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'c2FtcGxl',
  binary: 'sample',
  password: 'secret',
  regex: '^sample$',
  'json-pointer': '/sample',
  'relative-json-pointer': '0',
};

interface Context {
  readonly depth: number;
  /** `$ref`s being expanded (recursion guard). */
  readonly refs: readonly string[];
  /** Only required properties, fewest items. */
  readonly minimal: boolean;
}

export class Sampler {
  constructor(
    readonly document: JsonObject,
    readonly compiler: SchemaCompiler,
  ) {}

  /** A valid sample of `schema` (the best effort when none of the candidates validates). */
  sample(schema: unknown): unknown {
    return this.#value(schema, { depth: 0, refs: [], minimal: false });
  }

  #valid(schema: unknown, value: unknown): boolean {
    return value !== undefined && this.compiler.valid(schema, value);
  }

  #value(schema: unknown, ctx: Context): unknown {
    if (typeof schema === 'boolean' || !isObject(schema)) return {};
    for (const candidate of this.#given(schema)) if (this.#valid(schema, candidate)) return candidate;
    const generated = this.#generate(schema, ctx);
    if (this.#valid(schema, generated)) return generated;
    for (const alt of this.#alternatives(schema, ctx)) if (this.#valid(schema, alt)) return alt;
    return generated;
  }

  #given(s: JsonObject): unknown[] {
    const out: unknown[] = [];
    if (s['example'] !== undefined) out.push(s['example']);
    if (Array.isArray(s['examples'])) out.push(...s['examples'].slice(0, 3));
    if (s['default'] !== undefined) out.push(s['default']);
    if ('const' in s) out.push(s['const']);
    if (Array.isArray(s['enum'])) out.push(...s['enum'].filter((v) => v !== null), ...s['enum']);
    return out;
  }

  #generate(s: JsonObject, ctx: Context): unknown {
    if (typeof s['$ref'] === 'string') return this.#ref(s, ctx);
    if (Array.isArray(s['allOf']) && s['allOf'].length > 0) {
      const parts = s['allOf'].map((p) => this.#value(p, this.#deeper(ctx)));
      const { allOf: _drop, ...rest } = s;
      if (Object.keys(rest).some((k) => k === 'properties' || k === 'type'))
        parts.push(this.#generate(rest, ctx));
      return merge(parts);
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      const alts = s[key];
      if (Array.isArray(alts) && alts.length > 0) {
        const nonNull = alts.find((a) => !(isObject(a) && a['type'] === 'null')) ?? alts[0];
        const value = this.#value(nonNull, ctx);
        const { [key]: _drop, ...rest } = s;
        if (isObject(value) && isObject(rest['properties'])) return merge([this.#generate(rest, ctx), value]);
        return value;
      }
    }
    switch (typeOf(s)) {
      case 'object':
        return this.#object(s, ctx);
      case 'array':
        return this.#array(s, ctx);
      case 'string':
        return stringSample(s, 0);
      case 'integer':
        return numberSample(s, true);
      case 'number':
        return numberSample(s, false);
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return {};
    }
  }

  /** Other tries when the first generated value does not validate. */
  #alternatives(s: JsonObject, ctx: Context): unknown[] {
    const out: unknown[] = [];
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (Array.isArray(s[key])) for (const alt of s[key]) out.push(this.#value(alt, ctx));
    }
    if (typeOf(s) === 'string') {
      for (const grow of [0, 1, 2, 4, 8, 16]) out.push(stringSample(s, grow, true));
      for (const grow of [1, 2, 4, 8, 16]) out.push(stringSample(s, grow, false));
    }
    if (typeOf(s) === 'object' && !ctx.minimal) out.push(this.#object(s, { ...ctx, minimal: true }));
    return out;
  }

  #deeper(ctx: Context): Context {
    return { ...ctx, depth: ctx.depth + 1, minimal: ctx.minimal || ctx.depth + 1 >= FULL_DEPTH };
  }

  #ref(s: JsonObject, ctx: Context): unknown {
    const ref = s['$ref'] as string;
    const target = atPointer(this.document, ref);
    const { $ref: _drop, ...siblings } = s;
    const merged = isObject(target) ? { ...target, ...siblings } : target;
    if (ctx.refs.includes(ref) || ctx.depth >= MAX_DEPTH) {
      // Recursion: the smallest value the target allows (required properties only).
      return this.#generate(isObject(merged) ? merged : {}, {
        ...ctx,
        minimal: true,
        refs: [...ctx.refs, ref],
      });
    }
    const next = { ...ctx, refs: [...ctx.refs, ref] };
    return Object.keys(siblings).length === 0
      ? this.#value(target, next)
      : this.#generate(merged as JsonObject, next);
  }

  #object(s: JsonObject, ctx: Context): Record<string, unknown> {
    const properties = isObject(s['properties']) ? s['properties'] : {};
    const required = Array.isArray(s['required']) ? s['required'].map(String) : [];
    const names = [...required, ...Object.keys(properties).filter((n) => !required.includes(n))];
    const out: Record<string, unknown> = {};
    const recursing = ctx.depth >= MAX_DEPTH;
    for (const name of names) {
      const isRequired = required.includes(name);
      if (!isRequired && (ctx.minimal || recursing)) continue;
      const schema =
        properties[name] ?? (isObject(s['additionalProperties']) ? s['additionalProperties'] : undefined);
      if (schema === undefined) {
        out[name] = 'sample';
        continue;
      }
      if (
        !isRequired &&
        isObject(schema) &&
        typeof schema['$ref'] === 'string' &&
        ctx.refs.includes(schema['$ref'])
      )
        continue;
      out[name] = this.#value(schema, this.#deeper(ctx));
    }
    return out;
  }

  #array(s: JsonObject, ctx: Context): unknown[] {
    const minItems = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
    const prefix = Array.isArray(s['prefixItems']) ? s['prefixItems'] : [];
    const items = s['items'];
    const recursive =
      isObject(items) && typeof items['$ref'] === 'string' && ctx.refs.includes(items['$ref']);
    const count = ctx.minimal || recursive ? minItems : Math.max(minItems, 1, prefix.length);
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const schema = prefix[i] ?? (items === undefined || items === false ? {} : items);
      out.push(this.#value(schema, this.#deeper(ctx)));
    }
    return out;
  }
}

function typeOf(s: JsonObject): string | undefined {
  const t = s['type'];
  if (typeof t === 'string') return t === 'file' ? 'string' : t;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') as string | undefined) ?? 'null';
  if (isObject(s['properties']) || s['required'] !== undefined || s['additionalProperties'] !== undefined)
    return 'object';
  if (s['items'] !== undefined || s['prefixItems'] !== undefined) return 'array';
  if (typeof s['pattern'] === 'string' || typeof s['format'] === 'string' || s['minLength'] !== undefined)
    return 'string';
  if (s['minimum'] !== undefined || s['maximum'] !== undefined || s['multipleOf'] !== undefined)
    return 'number';
  return undefined;
}

function merge(parts: readonly unknown[]): unknown {
  const objects = parts.filter(isObject);
  if (objects.length === 0) return parts.find((p) => p !== undefined);
  const out: Record<string, unknown> = {};
  for (const part of objects) {
    for (const [k, v] of Object.entries(part))
      out[k] = isObject(out[k]) && isObject(v) ? merge([out[k], v]) : v;
  }
  return out;
}

function stringSample(s: JsonObject, grow: number, last = false): string {
  const format = typeof s['format'] === 'string' ? (s['format'] as string) : undefined;
  let text =
    typeof s['pattern'] === 'string'
      ? patternSample(s['pattern'], grow, last)
      : format !== undefined && FORMATS[format] !== undefined
        ? FORMATS[format]!
        : 'sample';
  const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const max = typeof s['maxLength'] === 'number' ? s['maxLength'] : Number.POSITIVE_INFINITY;
  if (text.length < min && typeof s['pattern'] !== 'string') text = text + 'x'.repeat(min - text.length);
  if (text.length > max) text = text.slice(0, max);
  return text;
}

function decimals(n: number): number {
  const text = String(n);
  return text.includes('e-') ? Number(text.split('e-')[1]) : (text.split('.')[1] ?? '').length;
}

function numberSample(s: JsonObject, integer: boolean): number {
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  let lo = num('minimum');
  let hi = num('maximum');
  let loOpen = false;
  let hiOpen = false;
  if (typeof s['exclusiveMinimum'] === 'number') [lo, loOpen] = [s['exclusiveMinimum'], true];
  else if (s['exclusiveMinimum'] === true) loOpen = true;
  if (typeof s['exclusiveMaximum'] === 'number') [hi, hiOpen] = [s['exclusiveMaximum'], true];
  else if (s['exclusiveMaximum'] === true) hiOpen = true;
  const step = num('multipleOf') ?? (integer ? 1 : undefined);
  const fits = (v: number) =>
    (lo === undefined || (loOpen ? v > lo : v >= lo)) && (hi === undefined || (hiOpen ? v < hi : v <= hi));
  let value = 1;
  if (!fits(value) && lo !== undefined) value = loOpen ? lo + (step ?? 1) : lo;
  if (!fits(value) && hi !== undefined)
    value = hiOpen ? (lo !== undefined ? (lo + hi) / 2 : hi - (step ?? 1)) : hi;
  if (step !== undefined && step > 0) {
    const places = decimals(step);
    let k = Math.ceil(value / step - 1e-9);
    for (let tries = 0; tries < 4 && !fits(Number((k * step).toFixed(places))); tries++) k++;
    if (!fits(Number((k * step).toFixed(places)))) k = Math.floor(value / step);
    value = Number((k * step).toFixed(places));
  }
  return integer ? Math.round(value) : value;
}
