import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildRequest,
  type ContractOperation,
  type ContractParameter,
  findOperation,
  loadOpenApi,
  type OpenApiContract,
} from '../../src/openapi/index.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { PERSONS_CONTRACT } from './_contracts.ts';

function param(name: string, where: ContractParameter['in']): ContractParameter {
  return {
    name,
    in: where,
    required: false,
    schema: { type: 'string' },
    explode: true,
    description: undefined,
    example: undefined,
  };
}

describe('buildRequest', () => {
  it('places each parameter, percent-encodes path parameters, defaults the content type to JSON', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    const get = findOperation(c, 'getPerson');
    const req = buildRequest(c, get, { params: { ssin: 'a/b c' }, headers: { 'X-Request-Id': '42' } });
    assert.equal(req.method, 'GET');
    assert.equal(req.path, '/v1/persons/a%2Fb%20c');
    assert.deepEqual(req.pathParams, { ssin: 'a/b c' });
    assert.deepEqual(req.headers, { 'x-request-id': '42' });
    assert.equal(req.contentType, undefined);
    const search = findOperation(c, 'searchPersons');
    assert.deepEqual(buildRequest(c, search, { params: { name: ['a', 'b'], page: '2' } }).query, {
      name: ['a', 'b'],
      page: '2',
    });
    const create = findOperation(c, 'createPerson');
    assert.equal(buildRequest(c, create, { body: {} }).contentType, 'application/json');
    assert.equal(
      buildRequest(c, create, { body: {}, contentType: 'application/xml' }).contentType,
      'application/xml',
    );
  });

  it('an unknown parameter name is ERR_CONTRACT_REQUEST_INVALID; a shared name is written with its location', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    throwsCode(
      () => buildRequest(c, findOperation(c, 'getPerson'), { params: { nis: '1' } }),
      'ERR_CONTRACT_REQUEST_INVALID',
    );
    const op: ContractOperation = {
      operationId: 'twice',
      method: 'GET',
      path: '/t/{lang}',
      summary: undefined,
      parameters: [param('lang', 'path'), param('lang', 'query'), param('Lang', 'header')],
      body: undefined,
      responses: [],
      security: [],
      scopes: [],
    };
    const contract = {} as OpenApiContract;
    throwsCode(() => buildRequest(contract, op, { params: { lang: 'fr' } }), 'ERR_CONTRACT_REQUEST_INVALID');
    const req = buildRequest(contract, op, {
      params: { 'path.lang': 'nl', 'query.lang': 'fr', 'header.Lang': 'de' },
    });
    assert.equal(req.path, '/t/nl');
    assert.deepEqual(req.query, { lang: 'fr' });
    assert.deepEqual(req.headers, { lang: 'de' });
  });
});
