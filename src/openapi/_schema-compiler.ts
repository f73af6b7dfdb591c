/**
 * One ajv (draft 2020-12, with ajv-formats) per contract document: the converted document is
 * registered once under CONTRACT_URN, each schema is converted and compiled on first use and
 * cached by identity. Shared by the validator and the sample generator.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { PasserelleError } from '../errors.ts';
import type { JsonObject } from './_json.ts';
import {
  CONTRACT_URN,
  convertDocument,
  convertSchema,
  documentVersion,
  isLegacy,
} from './_schema-convert.ts';

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

export class SchemaCompiler {
  readonly #ajv: Ajv2020;
  readonly #legacy: boolean;
  readonly #cache = new WeakMap<object, ValidateFunction>();
  readonly #booleans = new Map<boolean, ValidateFunction>();
  /** The converted document (what the peer is given too). */
  readonly converted: JsonObject;

  constructor(document: JsonObject) {
    this.#legacy = isLegacy(documentVersion(document));
    this.#ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: true,
      validateSchema: false,
      logger: false,
    });
    addFormats(this.#ajv);
    this.converted = convertDocument(document);
    this.#ajv.addSchema(this.converted, CONTRACT_URN, undefined, false);
  }

  /** The schema as draft 2020-12, references against CONTRACT_URN. */
  convert(schema: unknown) {
    return convertSchema(schema, { legacy: this.#legacy });
  }

  #compile(schema: unknown): ValidateFunction {
    try {
      return this.#ajv.compile(this.convert(schema));
    } catch (e) {
      throw new PasserelleError('ERR_CONTRACT_INVALID', 'a schema of the contract cannot be compiled', {
        details: { errors: [String((e as Error).message).slice(0, 300)] },
        cause: e,
      });
    }
  }

  /** ajv's errors for `value` against the contract schema `schema` (empty: valid). */
  errors(schema: unknown, value: unknown): readonly ErrorObject[] {
    let validate: ValidateFunction | undefined;
    if (typeof schema === 'object' && schema !== null) {
      validate = this.#cache.get(schema);
      if (validate === undefined) {
        validate = this.#compile(schema);
        this.#cache.set(schema, validate);
      }
    } else {
      const flag = schema !== false;
      validate = this.#booleans.get(flag);
      if (validate === undefined) {
        validate = this.#compile(flag);
        this.#booleans.set(flag, validate);
      }
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }

  valid(schema: unknown, value: unknown): boolean {
    return this.errors(schema, value).length === 0;
  }
}

const compilers = new WeakMap<object, SchemaCompiler>();

/** The compiler of a bundled document (one per document, kept while the document lives). */
export function compilerFor(document: JsonObject): SchemaCompiler {
  let compiler = compilers.get(document);
  if (compiler === undefined) {
    compiler = new SchemaCompiler(document);
    compilers.set(document, compiler);
  }
  return compiler;
}
