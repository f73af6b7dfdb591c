import { Sampler } from './_sampler.ts';
import { compilerFor } from './_schema-compiler.ts';
import type { JsonSchema } from './types.ts';

const samplers = new WeakMap<object, Sampler>();

/**
 * A value that validates against `schema` (a schema of the contract, `$ref`s against `document`,
 * the bundled document): its `example`, `examples[0]`, `default`, `const` or `enum[0]` when valid,
 * else one generated from its type and constraints (every property down to a depth bound, one
 * array item, strings matching `format` or `pattern`, numbers inside their bounds). Deterministic.
 */
export function sampleValue(schema: JsonSchema, document: { readonly [key: string]: unknown }): unknown {
  let sampler = samplers.get(document);
  if (sampler === undefined) {
    sampler = new Sampler(document, compilerFor(document));
    samplers.set(document, sampler);
  }
  return sampler.sample(schema);
}
