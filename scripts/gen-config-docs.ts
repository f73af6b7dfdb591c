/**
 * Writes the configuration reference of docs/configuration.md (between its config-reference
 * markers) from the zod schema, src/config/schema.ts: every key with its type, whether it is
 * required, its default and its description. Run with `npm run docs:config`;
 * test/docs/configuration-reference.test.ts fails when the file and the schema differ.
 *
 * The schema goes through zod's own z.toJSONSchema, and this walks the JSON Schema: shapes
 * registered with an `id` (Credential, Secret, TrustEntry) become sections of their own; a
 * key without a description is an error, so a new key cannot land undocumented.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigSchema } from '../src/config/schema.ts';

export const START_MARKER = '<!-- config-reference:start -->';
export const END_MARKER = '<!-- config-reference:end -->';
export const CONFIGURATION_DOC = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));

/** The part of JSON Schema (draft 2020-12) that z.toJSONSchema emits for our schema, plus our meta. */
interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  /** Our meta: a default that is not one value (e.g. "RS256 for an RSA key, ..."). */
  readonly defaultNote?: string;
  /** Our meta on a map with fixed key names: what each key is. */
  readonly keys?: Readonly<Record<string, string>>;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly $ref?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

interface Row {
  readonly key: string;
  readonly type: string;
  readonly required: boolean;
  readonly fallback: string;
  readonly description: string;
}

const code = (s: string): string => `\`${s}\``;
/** A table cell: pipes escaped, no line breaks. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const anchor = (name: string): string => name.toLowerCase().replace(/[^a-z0-9-]/g, '');
const refName = (ref: string): string => {
  const m = /^#\/\$defs\/(.+)$/.exec(ref);
  if (!m?.[1]) throw new Error(`unsupported $ref ${ref}`);
  return m[1];
};

function isMap(s: JsonSchema): boolean {
  return s.type === 'object' && s.properties === undefined && typeof s.additionalProperties === 'object';
}

function typeOf(s: JsonSchema): string {
  if (s.$ref) {
    const name = refName(s.$ref);
    return `[${name}](#${anchor(name)})`;
  }
  if (s.anyOf) return s.anyOf.map(typeOf).join(' | ');
  if (s.enum) return s.enum.map((v) => code(String(v))).join(' | ');
  if (s.type === 'array' && s.items) return `list of ${typeOf(s.items)}`;
  if (s.type === 'object') return isMap(s) ? 'map' : 'object';
  if (s.type === 'string' && s.format === 'uri') return 'URL';
  if (s.type) return s.type;
  throw new Error(`unsupported schema ${JSON.stringify(s)}`);
}

function fallbackOf(s: JsonSchema): string {
  if (s.defaultNote !== undefined) return s.defaultNote;
  if (s.default !== undefined) return code(String(s.default));
  return '';
}

function describedAs(path: string, s: JsonSchema): string {
  if (!s.description) throw new Error(`${path} has no description: add .describe() or .meta() to its schema`);
  return s.description;
}

/** The rows of `s` at `path` and of everything below it, depth first, in schema order. */
function rowsOf(path: string, s: JsonSchema, required: boolean): Row[] {
  let description = describedAs(path, s);
  const below: Row[] = [];
  if (s.type === 'object' && s.properties) {
    for (const [key, child] of Object.entries(s.properties)) {
      below.push(...rowsOf(path ? `${path}.${key}` : key, child, s.required?.includes(key) ?? false));
    }
  } else if (isMap(s)) {
    const value = s.additionalProperties as JsonSchema;
    if (s.keys) {
      // Fixed key names (an enum of keys): one row each.
      for (const [key, text] of Object.entries(s.keys)) {
        below.push({
          key: `${path}["${key}"]`,
          type: typeOf(value),
          required: false,
          fallback: '',
          description: text,
        });
      }
    } else {
      const names = s.propertyNames;
      if (names?.description || names?.pattern) {
        const rule = [names.description, names.pattern ? `(${code(names.pattern)})` : ''].filter(Boolean);
        description += ` Names: ${rule.join(' ')}.`;
      }
      below.push(...rowsOf(`${path}.<name>`, value, false));
    }
  } else if (s.type === 'array' && s.items && !s.items.$ref && s.items.type === 'object') {
    below.push(...rowsOf(`${path}[]`, s.items, true));
  }
  if (!path) return below;
  return [{ key: path, type: typeOf(s), required, fallback: fallbackOf(s), description }, ...below];
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/** A shared shape (a `$defs` entry): its forms, each with its keys. */
function defSection(name: string, s: JsonSchema): string[] {
  const lines = [`### ${name}`, '', describedAs(name, s), ''];
  const forms = s.anyOf ?? [s];
  if (forms.length > 1) lines.push('One of:', '');
  for (const form of forms) {
    if (form.type === 'object' && form.properties) {
      const keys = Object.keys(form.properties).map((k) => (form.required?.includes(k) ? k : `${k}?`));
      lines.push(`- ${code(`{ ${keys.join(', ')} }`)}: ${describedAs(name, form)}`, '');
      const rows = Object.entries(form.properties).map(([key, child]) => [
        code(key),
        typeOf(child),
        form.required?.includes(key) ? 'required' : 'optional',
        describedAs(`${name}.${key}`, child),
      ]);
      lines.push(...table(['key', 'type', 'required', 'description'], rows).map((l) => `  ${l}`), '');
    } else {
      lines.push(`- ${typeOf(form)}: ${describedAs(name, form)}`, '');
    }
  }
  return lines;
}

/** The reference, in Markdown, of a configuration schema. */
export function renderReference(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  const rows = rowsOf('', json, true);
  const lines = [
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`: edit the schema, not this. -->',
    '',
    describedAs('(root)', json),
    '',
    ...table(
      ['key', 'type', 'required', 'default', 'description'],
      rows.map((r) => [
        code(r.key),
        r.type,
        r.required ? 'required' : 'optional',
        r.fallback || '—',
        r.description,
      ]),
    ),
    '',
  ];
  for (const [name, def] of Object.entries(json.$defs ?? {})) lines.push(...defSection(name, def));
  return lines.join('\n').replace(/\n+$/, '\n');
}

/** `doc` with the text between its config-reference markers replaced by `reference`. */
export function withReference(doc: string, reference: string): string {
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start < 0 || end < start) {
    throw new Error(`${START_MARKER} … ${END_MARKER} markers are missing from the configuration document`);
  }
  return `${doc.slice(0, start + START_MARKER.length)}\n\n${reference}\n${doc.slice(end)}`;
}

/** docs/configuration.md as it should be. */
export function expectedConfigurationDoc(): string {
  return withReference(readFileSync(CONFIGURATION_DOC, 'utf8'), renderReference(ConfigSchema));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(CONFIGURATION_DOC, 'utf8');
  const after = expectedConfigurationDoc();
  if (after === before) console.log('docs/configuration.md: the configuration reference is up to date');
  else {
    writeFileSync(CONFIGURATION_DOC, after);
    console.log('docs/configuration.md: the configuration reference was regenerated');
  }
}
