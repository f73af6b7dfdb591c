/**
 * Validators of the official eBox REST contract (swagger v2.1, contracts/ebox/SOURCE.md)
 * with ajv 8 + ajv-formats: a definition, closed (additionalProperties false) so that a property
 * the contract does not declare fails.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { parse } from 'yaml';

const SWAGGER = new URL(
  '../../../contracts/ebox/e-Box-Enterprise-swagger-v2.1-AP-Public.yaml',
  import.meta.url,
);
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  a: Ajv,
) => Ajv;
const definitions = (parse(readFileSync(SWAGGER, 'utf8')) as { definitions: Record<string, object> })
  .definitions;
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
ajv.addKeyword('example');
ajv.addKeyword('x-example');
addFormats(ajv);
const closed = Object.fromEntries(
  Object.entries(definitions).map(([k, v]) => [k, { ...v, additionalProperties: false }]),
);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** Asserts `value` is a valid `#/definitions/<name>` of the swagger (closed). */
export function assertSwagger(
  name: 'StatusMessage' | 'PublicationStatusMessage' | 'MessageToPublish',
  value: unknown,
): void {
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `#/definitions/${name}`, definitions: closed });
    validators.set(name, validate);
  }
  assert.ok(validate(value), `${name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value)}`);
}
