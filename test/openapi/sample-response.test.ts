import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findOperation, loadOpenApi, sampleResponse } from '../../src/openapi/index.ts';
import { EBOX_CONTRACT, LEGACY_CONTRACT, PERSONS_CONTRACT } from './_contracts.ts';

describe('sampleResponse', () => {
  it('the first 2xx response: its example when valid, else a generated sample', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    const get = sampleResponse(c, findOperation(c, 'getPerson'));
    assert.equal(get.status, 200);
    assert.equal(get.contentType, 'application/json');
    assert.equal((get.body as { firstName: string }).firstName, 'Marie');
    const upload = sampleResponse(c, findOperation(c, 'uploadDocument'));
    assert.deepEqual(upload, {
      status: 202,
      contentType: 'application/json',
      body: { documentId: '123e4567-e89b-42d3-a456-426614174000', status: 'RECEIVED' },
    });
    assert.ok(Array.isArray(sampleResponse(c, findOperation(c, 'searchPersons')).body));
  });

  it('bytes for a binary media type, no body when none is declared, 200 for 2XX', async () => {
    const ebox = await loadOpenApi(EBOX_CONTRACT);
    const content = sampleResponse(ebox, findOperation(ebox, 'getAttachmentContentById'));
    assert.equal(content.contentType, 'application/octet-stream');
    assert.ok(content.body instanceof Uint8Array);
    assert.deepEqual(sampleResponse(ebox, findOperation(ebox, 'patchMessagesByEBoxId')), {
      status: 200,
      contentType: undefined,
      body: undefined,
    });
    assert.equal(sampleResponse(ebox, findOperation(ebox, 'postMessage')).status, 201);
    const legacy = await loadOpenApi(LEGACY_CONTRACT);
    assert.equal(sampleResponse(legacy, findOperation(legacy, 'postPayments')).status, 200);
  });
});
