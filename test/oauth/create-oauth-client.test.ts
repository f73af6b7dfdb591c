import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { createOAuthClient } from '../../src/oauth/create-oauth-client.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { fakeHttp, jsonResponse } from './_fake-http.ts';

const ISSUER = 'https://oauth-v5.int.socialsecurity.be';
const META = `${ISSUER}/.well-known/oauth-authorization-server`;
const TOKEN = 'https://services-int.socialsecurity.be/REST/oauth/v5/token';
const CLIENT = 'partenaire:federal:service:bus:client:confidential';

function server() {
  let n = 0;
  return fakeHttp((url, o) => {
    if (url === META) return jsonResponse(200, { issuer: ISSUER, token_endpoint: TOKEN });
    const scope = new URLSearchParams(String(o.body)).get('scope') ?? 'scope:default';
    return jsonResponse(200, { access_token: `at-${++n}`, token_type: 'Bearer', expires_in: 600, scope });
  });
}

test('discovery once; audience = issuer on request; one cache entry per scope', async () => {
  const { rsa } = await testPki();
  const http = server();
  const clock = new FrozenClock(TEST_NOW);
  const client = createOAuthClient({
    clientId: CLIENT,
    credential: rsa,
    metadataUrl: META,
    audience: 'issuer',
    http,
    clock,
  });
  const [a, b, c] = await Promise.all([
    client.getToken(),
    client.getToken({ scope: 'scope:x' }),
    client.getToken(),
  ]);
  assert.equal(a?.value, c?.value);
  assert.notEqual(a?.value, b?.value);
  const metaCalls = http.calls.filter((k) => k.url === META);
  const tokenCalls = http.calls.filter((k) => k.url === TOKEN);
  assert.equal(metaCalls.length, 1);
  assert.equal(tokenCalls.length, 2);
  const aud = decodeJwt(
    new URLSearchParams(String(tokenCalls[0]?.options.body)).get('client_assertion') ?? '',
  ).aud;
  assert.equal(aud, ISSUER);
});

test('a configured token endpoint wins over the metadata; invalidate forces one new request', async () => {
  const { ec } = await testPki();
  const http = server();
  const client = createOAuthClient({
    clientId: CLIENT,
    credential: ec,
    tokenEndpoint: TOKEN,
    metadataUrl: META,
    http,
    clock: new FrozenClock(TEST_NOW),
  });
  const first = await client.getToken();
  assert.equal(http.calls.length, 1, 'no discovery needed');
  client.invalidate(first);
  const second = await client.getToken();
  assert.notEqual(second.value, first.value);
  assert.equal((await client.getToken()).value, second.value);
  assert.equal(http.calls.length, 2);
});

test('an expected issuer that the metadata does not name → ERR_OAUTH_DISCOVERY_FAILED', async () => {
  const { rsa } = await testPki();
  const client = createOAuthClient({
    clientId: CLIENT,
    credential: rsa,
    metadataUrl: META,
    issuer: 'https://other.example',
    http: server(),
  });
  await assert.rejects(client.getToken(), (e) => isPasserelleError(e, 'ERR_OAUTH_DISCOVERY_FAILED'));
});

test('wrong use is a TypeError', async () => {
  const { rsa } = await testPki();
  const http = server();
  assert.throws(
    () => createOAuthClient({ clientId: '', credential: rsa, tokenEndpoint: TOKEN, http }),
    TypeError,
  );
  assert.throws(() => createOAuthClient({ clientId: CLIENT, credential: rsa, http }), TypeError);
  assert.throws(
    () =>
      createOAuthClient({
        clientId: CLIENT,
        credential: rsa,
        tokenEndpoint: TOKEN,
        audience: 'issuer',
        http,
      }),
    TypeError,
  );
});
