/**
 * The official eBox REST contract (swagger v2.1, contracts/ebox/SOURCE.md) as JSON Schema
 * validators, with ajv 8 and ajv-formats: `#/definitions/...` references resolve inside the
 * document. `closed` also forbids properties a definition does not declare, so a misspelt
 * property fails instead of passing unnoticed.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import formatsModule from 'ajv-formats';
import { parse } from 'yaml';

const SWAGGER = new URL(
  '../../../contracts/ebox/e-Box-Enterprise-swagger-v2.1-AP-Public.yaml',
  import.meta.url,
);
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  ajv: Ajv,
) => Ajv;

type Definitions = Record<string, Record<string, unknown>>;

/** A validator of one definition; `closed` lists the definitions to close (additionalProperties: false). */
export function swaggerValidator(name: string, closed: readonly string[] = []) {
  const doc = parse(readFileSync(SWAGGER, 'utf8')) as { definitions: Definitions };
  const definitions: Definitions = structuredClone(doc.definitions);
  for (const d of closed) definitions[d] = { ...definitions[d], additionalProperties: false };
  // Swagger 2.0 keywords that are not JSON Schema: declared so that strict mode accepts them.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  ajv.addKeyword('example');
  ajv.addKeyword('x-example');
  addFormats(ajv);
  const validate = ajv.compile({ $ref: `#/definitions/${name}`, definitions });
  return (value: unknown): readonly ErrorObject[] => (validate(value) ? [] : [...(validate.errors ?? [])]);
}
