import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { patternSample } from '../../src/openapi/_pattern-sample.ts';
import { compilerFor } from '../../src/openapi/_schema-compiler.ts';
import { loadOpenApi, sampleValue } from '../../src/openapi/index.ts';
import { LEGACY_CONTRACT, PERSONS_CONTRACT } from './_contracts.ts';

/** Patterns as contracts write them (SSIN, KBO/BCE numbers, IBAN, references, e-mail, ...). */
const PATTERNS = [
  '^[0-9]{11}$',
  '[0-1][0-9]{9}',
  '^[A-Z]{2}$',
  '^REF-[A-Z]{3}-\\d{4}$',
  '^BE[0-9]{2}(?: ?[0-9]{4}){3}$',
  '^(foo|bar)-\\d+$',
  '^(?:(?:[a-z]+)|\\d{3})$',
  '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$',
  '^\\w+\\s\\w*$',
  '^(?:[A-Z]{2})?\\d{2,4}$',
  '^[^0-9]+$',
  '^[^a-zA-Z]{3}$',
  '^\\+32 ?[0-9]{8,9}$',
  'ab?c*d+e{2}f{1,3}g{2,}',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^[\\w.-]+$',
  '^[\\s\\S]{1,5}$',
  '^\\(\\d{3}\\) \\d{3}\\.\\d{4}$',
  '^a.c$',
  '^[\\u0041-\\u005A]\\x41$',
  '^(?<year>\\d{4})/(?<month>0[1-9]|1[0-2])$',
  '^(?!000)\\d{3}$',
  '^[-a]+$',
  '^[a\\-z]+$',
  '^(a|b|c)+?$',
  '\\bword\\b',
  '^$|^x$',
];

describe('sampleValue: the pattern generator', () => {
  for (const p of PATTERNS) {
    it(`matches ${p}`, () => {
      // Lookaheads are not honoured by the first try; the second (`last`) is what the sampler falls back to.
      const last = p.includes('(?!');
      const generated = patternSample(p, 0, last);
      assert.ok(new RegExp(p).test(generated), `${JSON.stringify(generated)} does not match ${p}`);
      assert.ok(new RegExp(p, 'u').test(patternSample(p, 3, last)), 'with growth too');
    });
  }
});

describe('sampleValue', () => {
  it('examples, defaults, const and enum when valid; bounds, multipleOf, formats, lengths otherwise', async () => {
    const c = await loadOpenApi(LEGACY_CONTRACT);
    const compiler = compilerFor(c.document);
    const cases: Record<string, unknown>[] = [
      { type: 'string', example: 'given' },
      { type: 'integer', minimum: 10, example: 3 },
      { type: 'integer', default: 7 },
      { const: 'fixed' },
      { enum: [null, 'x'] },
      { type: 'integer', minimum: 5, exclusiveMinimum: true },
      { type: 'number', maximum: 0, exclusiveMaximum: true },
      { type: 'number', minimum: 0.5, multipleOf: 0.25 },
      { type: 'integer', minimum: -20, maximum: -10, multipleOf: 3 },
      { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true },
      { type: 'string', minLength: 12, maxLength: 14 },
      { type: 'string', maxLength: 2 },
      { type: 'string', pattern: '^[0-9]{11}$', minLength: 11 },
      { type: 'string', pattern: '^x+$', minLength: 4 },
      { type: 'string', pattern: '^(?!000)\\d{3}$' },
      ...[
        'date-time',
        'date',
        'time',
        'email',
        'uuid',
        'uri',
        'uri-reference',
        'byte',
        'binary',
        'ipv4',
        'ipv6',
        'hostname',
        'duration',
      ].map((format) => ({ type: 'string', format })),
      { type: 'array', minItems: 3, items: { type: 'integer', minimum: 2 } },
      { type: 'string', nullable: true },
      {
        allOf: [
          { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
          { properties: { b: { type: 'integer' } } },
        ],
      },
      { oneOf: [{ type: 'integer', minimum: 3 }, { type: 'string' }] },
      { anyOf: [{ type: 'null' }, { type: 'boolean' }] },
      { $ref: '#/components/schemas/Payment' },
    ];
    for (const schema of cases) {
      const value = sampleValue(schema, c.document);
      assert.deepEqual(
        compiler.errors(schema, value),
        [],
        `${JSON.stringify(schema)} → ${JSON.stringify(value)}`,
      );
    }
    assert.equal(sampleValue({ type: 'string', example: 'given' }, c.document), 'given');
    assert.equal(sampleValue({ type: 'integer', minimum: 10, example: 3 }, c.document), 10);
    assert.equal(sampleValue({ enum: [null, 'x'] }, c.document), 'x');
    assert.equal(sampleValue({ type: 'integer', minimum: 5, exclusiveMinimum: true }, c.document), 6);
  });

  it('objects carry all their properties, required first; a recursive $ref stops', async () => {
    const c = await loadOpenApi(LEGACY_CONTRACT);
    const payment = sampleValue({ $ref: '#/components/schemas/Payment' }, c.document) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(payment), ['id', 'amount', 'reference', 'status', 'rate', 'note', 'parent']);
    assert.equal(payment['status'], 'DONE');
    const parent = payment['parent'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(parent), ['id', 'amount', 'reference', 'status']);
    const persons = await loadOpenApi(PERSONS_CONTRACT);
    const person = sampleValue({ $ref: '#/components/schemas/Person' }, persons.document) as Record<
      string,
      unknown
    >;
    assert.equal(person['ssin'], '85073003328');
    assert.deepEqual(Object.keys(person['address'] as object), ['street', 'zip', 'city', 'country']);
    assert.deepEqual(sampleValue({ $ref: '#/components/schemas/Person' }, persons.document), person);
  });
});
