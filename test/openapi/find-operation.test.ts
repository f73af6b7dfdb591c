import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findOperation, loadOpenApi } from '../../src/openapi/index.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { PERSONS_CONTRACT } from './_contracts.ts';

describe('findOperation', () => {
  it('finds by operationId; an unknown id is ERR_CONTRACT_OPERATION_NOT_FOUND with the ids in the hint', async () => {
    const contract = await loadOpenApi(PERSONS_CONTRACT);
    assert.equal(findOperation(contract, 'createPerson').path, '/v1/persons');
    throwsCode(() => findOperation(contract, 'deletePerson'), 'ERR_CONTRACT_OPERATION_NOT_FOUND');
    try {
      findOperation(contract, 'deletePerson');
    } catch (e) {
      assert.match(
        (e as Error & { hint: string }).hint,
        /getPerson, searchPersons, createPerson, uploadDocument/,
      );
    }
  });
});
