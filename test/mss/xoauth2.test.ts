import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXoauth2Error, xoauth2InitialResponse } from '../../src/mss/xoauth2.ts';
import { throwsCode } from '../_support/assert-code.ts';

test('xoauth2: the initial response is base64 of user=…^Aauth=Bearer …^A^A', () => {
  const b64 = xoauth2InitialResponse('camille.martin@sandbox.mssante.fr', 'eyJ.abc.def');
  assert.equal(
    Buffer.from(b64, 'base64').toString('utf8'),
    'user=camille.martin@sandbox.mssante.fr\x01auth=Bearer eyJ.abc.def\x01\x01',
  );
});

test('xoauth2: a value that could not be framed is refused, the token never echoed', () => {
  throwsCode(() => xoauth2InitialResponse('a@b.fr\x01auth=Bearer x', 'tok'), 'ERR_MSS_ADDRESS_INVALID');
  for (const bad of ['secret\x01auth=Bearer other', 'with space', '']) {
    try {
      xoauth2InitialResponse('a@b.fr', bad);
      assert.fail('accepted');
    } catch (e) {
      assert.equal((e as { code?: string }).code, 'ERR_MSS_TOKEN_REJECTED');
      if (bad) assert.ok(!(e as Error).message.includes(bad));
    }
  }
});

test('xoauth2: the RFC 7628 error challenge is parsed; anything else is undefined', () => {
  const json = { status: '401', schemes: 'bearer', scope: 'openid scope_all', extra: { nested: true } };
  assert.deepEqual(parseXoauth2Error(Buffer.from(JSON.stringify(json)).toString('base64')), {
    status: '401',
    schemes: 'bearer',
    scope: 'openid scope_all',
  });
  assert.deepEqual(parseXoauth2Error(Buffer.from('{"status":403}').toString('base64')), { status: '403' });
  for (const c of [
    undefined,
    '',
    'not base64!',
    Buffer.from('[1]').toString('base64'),
    Buffer.from('x').toString('base64'),
  ])
    assert.equal(parseXoauth2Error(c), undefined);
});
