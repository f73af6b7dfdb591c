import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import type { HttpClient } from '../../src/oauth/types.ts';
import { _problemError } from '../../src/rest/_problem.ts';
import { _bearerChallenge } from '../../src/rest/_www-authenticate.ts';
import { createRestClient } from '../../src/rest/create-rest-client.ts';

test('Bearer challenge parameters are read, quoted or not, beside other schemes', () => {
  assert.deepEqual(
    _bearerChallenge(
      'Bearer realm="api", error="invalid_token", error_description="the \\"token\\" expired"',
    ),
    {
      realm: 'api',
      error: 'invalid_token',
      error_description: 'the "token" expired',
    },
  );
  assert.deepEqual(_bearerChallenge(['Basic realm="x"', 'Bearer error=insufficient_scope, scope="a b"']), {
    error: 'insufficient_scope',
    scope: 'a b',
  });
  assert.deepEqual(_bearerChallenge('Bearer'), {});
  assert.equal(_bearerChallenge('Basic realm="x"'), undefined);
  assert.equal(_bearerChallenge(undefined), undefined);
});

test('status → code; problem fields in details; a non-JSON body still gives a typed error', () => {
  const body = Buffer.from(
    JSON.stringify({ type: 'urn:t', title: 'Gone fishing', status: 500, detail: 'later' }),
  );
  const e = _problemError(500, {}, body, { host: 'h', api: 'demo' });
  assert.ok(isPasserelleError(e, 'ERR_REST_PROBLEM'));
  assert.equal(e.details['title'], 'Gone fishing');
  assert.equal(e.details['detail'], 'later');
  assert.ok(
    isPasserelleError(
      _problemError(401, {}, Buffer.from('<html>'), { host: 'h', api: 'a' }),
      'ERR_REST_UNAUTHORIZED',
    ),
  );
  assert.ok(
    isPasserelleError(_problemError(403, {}, Buffer.alloc(0), { host: 'h', api: 'a' }), 'ERR_REST_FORBIDDEN'),
  );
  assert.ok(
    isPasserelleError(_problemError(404, {}, Buffer.alloc(0), { host: 'h', api: 'a' }), 'ERR_REST_NOT_FOUND'),
  );
});

function streaming(status: number, contentType: string, text: string | Buffer): HttpClient {
  return {
    request: async () => Promise.reject(new Error('unused')),
    requestStream: async () => ({
      status,
      headers: { 'content-type': contentType },
      body: Readable.from([typeof text === 'string' ? Buffer.from(text) : text]),
    }),
    close: async () => {},
  };
}

test('invalid JSON in a success → ERR_REST_RESPONSE_INVALID; non-JSON bodies come back as bytes; empty as undefined', async () => {
  const base = 'https://api.test.ksz-bcss.fgov.be/{api}';
  const bad = createRestClient({ baseUrl: base, http: streaming(200, 'application/json', '{oops') });
  await assert.rejects(bad.get('/x', { api: 'demo' }), (e) =>
    isPasserelleError(e, 'ERR_REST_RESPONSE_INVALID'),
  );
  const pdf = await createRestClient({ baseUrl: base, http: streaming(200, 'application/pdf', '%PDF') }).get(
    '/x',
    { api: 'demo' },
  );
  assert.deepEqual(pdf.body, Buffer.from('%PDF'));
  const empty = await createRestClient({ baseUrl: base, http: streaming(204, 'application/json', '') }).get(
    '/x',
    { api: 'demo' },
  );
  assert.equal(empty.body, undefined);
  const problem = createRestClient({ baseUrl: base, http: streaming(502, 'text/html', '<html>') });
  await assert.rejects(problem.get('/x', { api: 'demo' }), (e) => isPasserelleError(e, 'ERR_REST_PROBLEM'));
});

test('JSON bodies are decoded strictly: not UTF-8 → ERR_REST_RESPONSE_INVALID (a success) or no problem fields (an error); a BOM is ignored', async () => {
  const base = 'https://api.test.ksz-bcss.fgov.be/{api}';
  const latin1 = Buffer.from('{"name":"Ren\u00e9"}', 'latin1');
  const bad = createRestClient({ baseUrl: base, http: streaming(200, 'application/json', latin1) });
  await assert.rejects(bad.get('/x', { api: 'demo' }), (e) =>
    isPasserelleError(e, 'ERR_REST_RESPONSE_INVALID'),
  );
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"Ren\u00e9"}', 'utf8')]);
  const good = await createRestClient({ baseUrl: base, http: streaming(200, 'application/json', bom) }).get(
    '/x',
    { api: 'demo' },
  );
  assert.deepEqual(good.body, { name: 'René' });
  const problem = Buffer.from('{"title":"Caf\u00e9 ferm\u00e9","detail":"x"}', 'latin1');
  const e = _problemError(400, {}, problem, { host: 'h', api: 'a' });
  assert.ok(isPasserelleError(e, 'ERR_REST_PROBLEM'));
  assert.equal(e.details['title'] ?? null, null, 'no field read from a body that is not UTF-8');
  assert.doesNotMatch(JSON.stringify(e.toJSON()), /\ufffd/);
});

test('the message names the status and title; detail and title are made printable (controls, bidi) and bounded', () => {
  const body = Buffer.from(
    JSON.stringify({
      title: 'Bad\u001b[31m request\u202e',
      status: 422,
      detail: `field x\r\nis wrong ${'y'.repeat(600)}`,
    }),
  );
  const e = _problemError(422, {}, body, { host: 'h', api: 'demo' });
  assert.ok(isPasserelleError(e, 'ERR_REST_PROBLEM'));
  assert.equal(e.message, 'The demo API answered 422 Bad [31m request ');
  const detail = String(e.details['detail']);
  assert.ok(detail.startsWith('field x  is wrong yyy'), detail);
  assert.equal([...detail].length, 500);
  assert.ok(detail.endsWith('…'));
  assert.doesNotMatch(JSON.stringify(e.toJSON()), /\\u001b|\\r|\\n|\u202e/);
  assert.ok(e.hint.length > 0, 'the default hint of ERR_REST_PROBLEM');
  const detailOnly = _problemError(500, {}, Buffer.from('{"detail":"down for maintenance"}'), {
    host: 'h',
    api: 'demo',
  });
  assert.equal(detailOnly.message, 'The demo API answered 500: down for maintenance');
  assert.equal(
    _problemError(503, {}, Buffer.from('<html>'), { host: 'h', api: 'demo' }).message,
    'The demo API answered HTTP 503',
  );
});
