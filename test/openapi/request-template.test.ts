import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findOperation, loadOpenApi, requestTemplate } from '../../src/openapi/index.ts';
import { EBOX_CONTRACT, LEGACY_CONTRACT, PERSONS_CONTRACT } from './_contracts.ts';

describe('requestTemplate', () => {
  it('required parameters plus optional ones with an example or default; the contract example body when valid', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    assert.deepEqual(requestTemplate(c, findOperation(c, 'searchPersons')), {
      params: { name: 'Peeters', page: '1' },
      contentType: undefined,
      body: undefined,
    });
    assert.deepEqual(requestTemplate(c, findOperation(c, 'getPerson')).params, { ssin: '85073003328' });
    const create = requestTemplate(c, findOperation(c, 'createPerson'));
    assert.equal(create.contentType, 'application/json');
    assert.equal((create.body as { lastName: string }).lastName, 'Janssens');
  });

  it('multipart: binary fields become file parts with bytes', async () => {
    const c = await loadOpenApi(PERSONS_CONTRACT);
    const t = requestTemplate(c, findOperation(c, 'uploadDocument'));
    assert.equal(t.contentType, 'multipart/form-data');
    const body = t.body as {
      file: { filename: string; contentType: string; bytes: Uint8Array };
      title: string;
    };
    assert.equal(body.file.contentType, 'application/pdf');
    assert.ok(body.file.bytes instanceof Uint8Array);
    assert.equal(Buffer.from(body.file.bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
    assert.equal(typeof body.title, 'string');
    const ebox = await loadOpenApi(EBOX_CONTRACT);
    const post = requestTemplate(ebox, findOperation(ebox, 'postMessage'));
    assert.deepEqual(Object.keys(post.body as object), [
      'messageToPublish',
      'upfile1',
      'upfile2',
      'upfile3',
      'upfile4',
      'upfile5',
      'upfile6',
    ]);
  });

  it('3.0: a required integer path parameter with an exclusive minimum; form-encoded body', async () => {
    const c = await loadOpenApi(LEGACY_CONTRACT);
    assert.deepEqual(requestTemplate(c, findOperation(c, 'getPayment')).params, { paymentId: '1' });
    const post = requestTemplate(c, findOperation(c, 'postPayments'));
    assert.equal(post.contentType, 'application/x-www-form-urlencoded');
    assert.equal((post.body as { amount: number }).amount, 1);
  });
});
