import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ContractOperation,
  loadOpenApi,
  matchOperation,
  type OpenApiContract,
} from '../../src/openapi/index.ts';
import { PERSONS_CONTRACT } from './_contracts.ts';

function op(operationId: string, method: ContractOperation['method'], path: string): ContractOperation {
  return {
    operationId,
    method,
    path,
    summary: undefined,
    parameters: [],
    body: undefined,
    responses: [],
    security: [],
    scopes: [],
  };
}

describe('matchOperation', () => {
  it('matches templates segment by segment, percent-decodes parameters, checks the method', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    const m = matchOperation(c, 'GET', '/v1/persons/85073003328');
    assert.equal(m?.operation.operationId, 'getPerson');
    assert.deepEqual(m?.pathParams, { ssin: '85073003328' });
    assert.equal(matchOperation(c, 'get', '/v1/persons/85073003328/')?.operation.operationId, 'getPerson');
    assert.deepEqual(matchOperation(c, 'GET', '/v1/persons/a%2Fb%20c')?.pathParams, { ssin: 'a/b c' });
    assert.equal(matchOperation(c, 'POST', '/v1/persons')?.operation.operationId, 'createPerson');
    assert.equal(matchOperation(c, 'GET', '/v1/persons?name=x')?.operation.operationId, 'searchPersons');
    assert.equal(
      matchOperation(c, 'POST', '/v1/persons/85073003328/documents')?.operation.operationId,
      'uploadDocument',
    );
    assert.equal(matchOperation(c, 'DELETE', '/v1/persons/85073003328'), undefined);
    assert.equal(matchOperation(c, 'GET', '/v1/persons/1/2'), undefined);
    assert.equal(matchOperation(c, 'GET', '/v1/persons/%E0%A4%A'), undefined);
  });

  it('literal segments beat templated ones, whatever the declaration order; partial templates', () => {
    const contract = {
      operations: [
        op('byId', 'GET', '/items/{id}'),
        op('anyAction', 'GET', '/items/{id}/{action}'),
        op('search', 'GET', '/items/search'),
        op('history', 'GET', '/items/{id}/history'),
        op('file', 'GET', '/files/{name}.json'),
      ],
    } as unknown as OpenApiContract;
    assert.equal(matchOperation(contract, 'GET', '/items/search')?.operation.operationId, 'search');
    assert.equal(matchOperation(contract, 'GET', '/items/7')?.operation.operationId, 'byId');
    assert.equal(matchOperation(contract, 'GET', '/items/7/history')?.operation.operationId, 'history');
    assert.deepEqual(matchOperation(contract, 'GET', '/items/7/close')?.pathParams, {
      id: '7',
      action: 'close',
    });
    assert.deepEqual(matchOperation(contract, 'GET', '/files/report.json')?.pathParams, { name: 'report' });
    assert.equal(matchOperation(contract, 'GET', '/files/report.xml'), undefined);
  });
});
