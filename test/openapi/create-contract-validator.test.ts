import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  buildRequest,
  type ContractIssue,
  createContractValidator,
  findOperation,
  loadOpenApi,
  type OpenApiContract,
} from '../../src/openapi/index.ts';
import { requirePeer } from '../_support/peers.ts';
import { EBOX_CONTRACT, LEGACY_CONTRACT, PERSONS_CONTRACT, peerValidate } from './_contracts.ts';

const ADDRESS = { street: 'Kerkstraat 1', zip: '9000', city: 'Gent', country: 'BE' };
const NEW_PERSON = {
  lastName: 'Janssens',
  firstName: 'Luc',
  birthDate: '1990-02-14',
  gender: 'M',
  address: ADDRESS,
};

function has(
  issues: readonly ContractIssue[],
  where: ContractIssue['in'],
  at: string,
  message?: RegExp,
): void {
  assert.ok(
    issues.some((i) => i.in === where && i.at === at && (message === undefined || message.test(i.message))),
    `expected an issue ${where} ${at} ${message ?? ''} in ${JSON.stringify(issues)}`,
  );
}

describe('createContractValidator: requests', () => {
  let persons: OpenApiContract;
  let legacy: OpenApiContract;
  before(async () => {
    persons = await loadOpenApi(PERSONS_CONTRACT);
    legacy = await loadOpenApi(LEGACY_CONTRACT);
  });

  it('a missing required query parameter, a wrong type (page=abc), a value below its minimum', () => {
    const v = createContractValidator(persons);
    const op = findOperation(persons, 'searchPersons');
    assert.deepEqual(
      v.request(op, buildRequest(persons, op, { params: { name: 'Peeters', page: '2' } })),
      [],
    );
    const missing = v.request(op, buildRequest(persons, op, { params: { page: '1' } }));
    assert.deepEqual(missing, [{ in: 'query', at: 'name', message: 'is required' }]);
    const wrong = v.request(op, buildRequest(persons, op, { params: { name: 'Peeters', page: 'abc' } }));
    assert.deepEqual(wrong, [{ in: 'query', at: 'page', message: 'must be integer' }]);
    has(
      v.request(op, buildRequest(persons, op, { params: { name: 'P', page: '0' } })),
      'query',
      'page',
      />= 1/,
    );
    has(v.request(op, buildRequest(persons, op, { params: { name: 'P' } })), 'query', 'name', /fewer than 2/);
    // Unknown query parameters are allowed on the wire.
    const extra = { ...buildRequest(persons, op, { params: { name: 'Peeters' } }) };
    assert.deepEqual(v.request(op, { ...extra, query: { ...extra.query, trace: '1' } }), []);
  });

  it('a path parameter against its pattern', () => {
    const v = createContractValidator(persons);
    const op = findOperation(persons, 'getPerson');
    assert.deepEqual(v.request(op, buildRequest(persons, op, { params: { ssin: '85073003328' } })), []);
    has(
      v.request(op, buildRequest(persons, op, { params: { ssin: '8507300332' } })),
      'path',
      'ssin',
      /pattern/,
    );
    has(v.request(op, buildRequest(persons, op, {})), 'path', 'ssin', /is required/);
  });

  it('a body missing a required field, a wrong enum, a nested wrong value, a wrong or missing content type', () => {
    const v = createContractValidator(persons);
    const op = findOperation(persons, 'createPerson');
    assert.deepEqual(v.request(op, buildRequest(persons, op, { body: NEW_PERSON })), []);
    assert.deepEqual(
      v.request(op, buildRequest(persons, op, { body: { ...NEW_PERSON, nationality: null } })),
      [],
    );
    const { lastName: _l, ...noName } = NEW_PERSON;
    assert.deepEqual(v.request(op, buildRequest(persons, op, { body: noName })), [
      { in: 'body', at: '/lastName', message: 'is required' },
    ]);
    has(
      v.request(op, buildRequest(persons, op, { body: { ...NEW_PERSON, gender: 'Q' } })),
      'body',
      '/gender',
      /allowed values/,
    );
    has(
      v.request(
        op,
        buildRequest(persons, op, { body: { ...NEW_PERSON, address: { ...ADDRESS, zip: 'B-9000' } } }),
      ),
      'body',
      '/address/zip',
      /pattern/,
    );
    has(
      v.request(
        op,
        buildRequest(persons, op, {
          body: { ...NEW_PERSON, address: { street: 'x', city: 'y', country: 'BE' } },
        }),
      ),
      'body',
      '/address/zip',
      /is required/,
    );
    has(
      v.request(op, buildRequest(persons, op, { body: { ...NEW_PERSON, birthDate: '14/02/1990' } })),
      'body',
      '/birthDate',
      /format/,
    );
    has(
      v.request(op, buildRequest(persons, op, { body: NEW_PERSON, contentType: 'text/plain' })),
      'content-type',
      '',
    );
    has(v.request(op, buildRequest(persons, op, {})), 'body', '', /is required/);
  });

  it('multipart/form-data: a file part satisfies a binary string property; a missing field is named', () => {
    const v = createContractValidator(persons);
    const op = findOperation(persons, 'uploadDocument');
    const file = {
      filename: 'a.pdf',
      contentType: 'application/pdf',
      bytes: new Uint8Array([37, 80, 68, 70]),
    };
    const ok = buildRequest(persons, op, {
      params: { ssin: '85073003328' },
      body: { file, title: 'Attestation' },
    });
    assert.equal(ok.contentType, 'multipart/form-data');
    assert.deepEqual(v.request(op, ok), []);
    const noTitle = buildRequest(persons, op, { params: { ssin: '85073003328' }, body: { file } });
    assert.deepEqual(v.request(op, noTitle), [{ in: 'body', at: '/title', message: 'is required' }]);
  });

  it('OpenAPI 3.0: nullable, boolean exclusive bounds, form fields coerced, non-exploded arrays, header formats', () => {
    const v = createContractValidator(legacy);
    const get = findOperation(legacy, 'getPayment');
    assert.deepEqual(
      v.request(get, buildRequest(legacy, get, { params: { paymentId: '1', tags: 'a,c', verbose: 'true' } })),
      [],
    );
    has(
      v.request(get, buildRequest(legacy, get, { params: { paymentId: '0' } })),
      'path',
      'paymentId',
      /> 0/,
    );
    has(
      v.request(get, buildRequest(legacy, get, { params: { paymentId: '1', tags: 'a,z' } })),
      'query',
      'tags',
      /^\/1: /,
    );
    has(
      v.request(get, buildRequest(legacy, get, { params: { paymentId: '1', verbose: 'yes' } })),
      'query',
      'verbose',
      /boolean/,
    );
    has(
      v.request(get, buildRequest(legacy, get, { params: { paymentId: '1', 'X-Trace': 'nope' } })),
      'header',
      'X-Trace',
      /format/,
    );
    const post = findOperation(legacy, 'postPayments');
    assert.equal(post.body?.contents[0]?.mediaType, 'application/x-www-form-urlencoded');
    assert.deepEqual(
      v.request(post, buildRequest(legacy, post, { body: { amount: '12.5', memo: 'x' } })),
      [],
    );
    has(v.request(post, buildRequest(legacy, post, { body: { amount: '0' } })), 'body', '/amount', /> 0/);
  });

  it('eBox postMessage (Swagger 2.0 formData): files and the JSON part', async () => {
    const ebox = await loadOpenApi(EBOX_CONTRACT);
    const v = createContractValidator(ebox);
    const op = findOperation(ebox, 'postMessage');
    const upfile1 = { filename: 'a.pdf', contentType: 'application/pdf', bytes: new Uint8Array(3) };
    assert.deepEqual(
      v.request(op, buildRequest(ebox, op, { body: { messageToPublish: '{}', upfile1 } })),
      [],
    );
    has(
      v.request(op, buildRequest(ebox, op, { body: { upfile1 } })),
      'body',
      '/messageToPublish',
      /required/,
    );
  });
});

describe('createContractValidator: responses', () => {
  let persons: OpenApiContract;
  let legacy: OpenApiContract;
  before(async () => {
    persons = await loadOpenApi(PERSONS_CONTRACT);
    legacy = await loadOpenApi(LEGACY_CONTRACT);
  });
  const person = { ...NEW_PERSON, ssin: '85073003328' };

  it('an undeclared status, a wrong field type, a wrong content type, a problem+json error', () => {
    const v = createContractValidator(persons);
    const op = findOperation(persons, 'getPerson');
    assert.deepEqual(
      v.response(op, { status: 200, contentType: 'application/json; charset=utf-8', body: person }),
      [],
    );
    assert.deepEqual(v.response(op, { status: 500, contentType: 'application/json', body: {} }), [
      { in: 'status', at: '500', message: 'status not declared (declared: 200, 404)' },
    ]);
    assert.deepEqual(
      v.response(op, {
        status: 200,
        contentType: 'application/json',
        body: { ...person, ssin: 85073003328 },
      }),
      [{ in: 'body', at: '/ssin', message: 'must be string' }],
    );
    has(
      v.response(op, { status: 200, contentType: 'text/html', body: new Uint8Array(1) }),
      'content-type',
      '',
    );
    assert.deepEqual(
      v.response(op, {
        status: 404,
        contentType: 'application/problem+json',
        body: { type: 'about:blank', title: 'Not found', status: 404 },
      }),
      [],
    );
    has(
      v.response(op, { status: 404, contentType: 'application/problem+json', body: { title: 'Not found' } }),
      'body',
      '/type',
    );
  });

  it('2XX and default responses; nullable and exclusive bounds in 3.0 response schemas', () => {
    const v = createContractValidator(legacy);
    const post = findOperation(legacy, 'postPayments');
    const payment = { id: 1, amount: 0.5, reference: null, status: 'DONE', note: null };
    assert.deepEqual(v.response(post, { status: 201, contentType: 'application/json', body: payment }), []);
    has(
      v.response(post, { status: 201, contentType: 'application/json', body: { ...payment, amount: 0 } }),
      'body',
      '/amount',
    );
    has(
      v.response(post, { status: 201, contentType: 'application/json', body: { ...payment, rate: 1 } }),
      'body',
      '/rate',
    );
    has(
      v.response(post, {
        status: 201,
        contentType: 'application/json',
        body: { ...payment, reference: 'REF-1' },
      }),
      'body',
      '/reference',
    );
    has(v.response(post, { status: 400, contentType: 'application/json', body: {} }), 'status', '400');
    const get = findOperation(legacy, 'getPayment');
    assert.deepEqual(
      v.response(get, { status: 503, contentType: 'application/json', body: { message: 'down' } }),
      [],
    );
  });

  it('control: python jsonschema also refuses what ajv refuses (the peer is not blind)', async (t) => {
    if (!requirePeer(t, 'python3-jsonschema')) return;
    const op = findOperation(persons, 'getPerson');
    const schema = op.responses[0]!.contents[0]!.schema;
    const failing = peerValidate(persons, [
      { id: 'good', schema, instance: person },
      { id: 'wrong type', schema, instance: { ...person, ssin: 85073003328 } },
      { id: 'missing', schema, instance: { ssin: '85073003328' } },
    ]);
    assert.deepEqual(Object.keys(failing).sort(), ['missing', 'wrong type']);
    const legacySchema = findOperation(legacy, 'postPayments').responses[0]!.contents[0]!.schema;
    const payment = { id: 1, amount: 0.5, reference: null, status: 'DONE' };
    const legacyFailing = peerValidate(legacy, [
      { id: 'nullable', schema: legacySchema, instance: payment },
      { id: 'exclusive', schema: legacySchema, instance: { ...payment, amount: 0 } },
    ]);
    assert.deepEqual(Object.keys(legacyFailing), ['exclusive']);
  });
});
