/**
 * The sandbox REST APIs: bearer JWTs from the sandbox authorization server, problem+json with
 * a Bearer challenge for missing, expired, foreign or under-scoped tokens, the health switch
 * and the demo resource. Real time (the authorization server is oidc-provider).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt, SignJWT } from 'jose';
import { createHttpClient } from '../../../src/oauth/create-http-client.ts';
import { createOAuthClient, type OAuthClient } from '../../../src/oauth/create-oauth-client.ts';
import type { HttpClient } from '../../../src/oauth/types.ts';
import { SANDBOX_OAUTH_CLIENT_ID } from '../../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { restModule } from '../../../src/sandbox/rest/module.ts';
import { testPki } from '../../_support/credentials.ts';
import { startTestSandbox, type TestSandbox } from '../oauth/_start.ts';

let sandbox: TestSandbox;
let http: HttpClient;
let oauth: OAuthClient;
let base = '';

before(async () => {
  sandbox = await startTestSandbox([
    oauthModule({ accessTokenTtlSeconds: 2 }),
    restModule({ clockToleranceSeconds: 0 }),
  ]);
  http = createHttpClient({ ca: sandbox.pki.ca.certPem, credential: sandbox.pki.partner.tls });
  oauth = createOAuthClient({
    clientId: SANDBOX_OAUTH_CLIENT_ID,
    credential: sandbox.pki.partner.oauth,
    tokenEndpoint: sandbox.endpoints['oauth.token'] ?? '',
    http,
    refreshMarginSeconds: 0,
  });
  base = (sandbox.endpoints['cbss.rest'] ?? '').replace('/{api}', '');
});
after(async () => {
  await http?.close();
  await sandbox?.dispose();
});

async function get(path: string, token?: string) {
  const res = await http.request(
    `${base}${path}`,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );
  return {
    status: res.status,
    headers: res.headers,
    json: JSON.parse(res.body.toString() || 'null') as Record<string, unknown>,
  };
}

const SSIN = '85073003328';

test('health and the demo resource answer a valid token; the SSIN is checked', async () => {
  const token = (await oauth.getToken({ forceRefresh: true })).value;
  assert.deepEqual((await get('/demo/health', token)).json, { status: 'UP' });
  const person = await get(`/demo/v1/persons/${SSIN}`, token);
  assert.equal(person.status, 200);
  assert.equal(person.json['ssin'], SSIN);
  assert.equal(person.json['birthDate'], '1985-07-30');
  assert.equal(person.json['fake'], true);
  const bad = await get('/demo/v1/persons/85073003329', token);
  assert.equal(bad.status, 400);
  assert.equal(bad.headers['content-type'], 'application/problem+json');
  assert.equal((await get('/nope/health', token)).status, 404);
});

test('missing token → 401 problem+json with a bare Bearer challenge', async () => {
  const res = await get('/demo/health');
  assert.equal(res.status, 401);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.equal(res.json['status'], 401);
  assert.match(String(res.headers['www-authenticate']), /^Bearer realm="passerelle-sandbox"$/);
});

test('foreign tokens (another key, alg none, HS256, wrong audience) → 401 invalid_token', async () => {
  const { rogue } = await testPki();
  const real = decodeJwt((await oauth.getToken({ forceRefresh: true })).value);
  const claims = { ...real, jti: 'forged' };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const forged = [
    await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).sign(rogue.privateKey),
    `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`,
    await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .sign(new TextEncoder().encode('secret')),
    await new SignJWT({ ...claims, aud: 'urn:other' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
      .sign(rogue.privateKey),
    'not-a-jwt',
  ];
  for (const token of forged) {
    const res = await get(`/demo/v1/persons/${SSIN}`, token);
    assert.equal(res.status, 401);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
  }
});

test('under-scoped token → 403 insufficient_scope naming the scope', async () => {
  const token = (await oauth.getToken({ scope: 'scope:demo:health', forceRefresh: true })).value;
  assert.equal((await get('/demo/health', token)).status, 200);
  const res = await get(`/demo/v1/persons/${SSIN}`, token);
  assert.equal(res.status, 403);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.match(
    String(res.headers['www-authenticate']),
    /error="insufficient_scope", scope="scope:demo:consult"/,
  );
});

test('expired token → 401 invalid_token', async () => {
  const token = (await oauth.getToken({ forceRefresh: true })).value;
  await sleep(2100);
  const res = await get('/demo/health', token);
  assert.equal(res.status, 401);
  assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
});

test('health switches to DEGRADED and DOWN (503) through the control API; without a client certificate no call', async () => {
  const control = sandbox.endpoints['rest.control'] ?? '';
  const set = (status: string) =>
    http.request(control, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
  const token = (await oauth.getToken({ forceRefresh: true })).value;
  assert.equal((await set('DEGRADED')).status, 200);
  assert.equal((await get('/demo/health', token)).json['status'], 'DEGRADED');
  await set('DOWN');
  const down = await get('/demo/health', token);
  assert.equal(down.status, 503);
  assert.deepEqual(down.json, { status: 'DOWN' });
  assert.equal((await set('SIDEWAYS')).status, 400);
  await set('UP');
  const anonymous = createHttpClient({ ca: sandbox.pki.ca.certPem });
  await assert.rejects(anonymous.request(`${base}/demo/health`), (e: unknown) =>
    String((e as { code?: string }).code).startsWith('ERR_TRANSPORT'),
  );
  await anonymous.close();
  const s = sandbox.modules['rest']?.stats?.() ?? {};
  assert.ok((s['unauthorized'] ?? 0) >= 7);
  assert.ok((s['forbidden'] ?? 0) >= 1);
});

test('the exchange journal keeps token requests and REST calls with the assertion, the token and Authorization redacted', async () => {
  const token = (await oauth.getToken({ forceRefresh: true })).value;
  assert.equal((await get('/demo/health', token)).status, 200);
  assert.equal((await get('/demo/health', 'not-a-jwt')).status, 401);
  const recent = sandbox.exchanges(20);
  const tokenCall = recent.find((x) => x.listener === 'oauth' && x.path === '/REST/oauth/v5/token');
  const [refused, health] = recent.filter((x) => x.listener === 'rest');
  assert.ok(tokenCall && health && refused);
  assert.deepEqual(
    [health.status, refused.status, refused.fault, refused.reason],
    [200, 401, 'invalid-token', 'ERR_JWS_INVALID'],
  );
  const records = [tokenCall, health, refused].map((x) => sandbox.exchange(x.id)!);
  assert.match(records[0]!.request.text, /client_assertion=\[REDACTED:client_assertion\]/);
  assert.match(records[0]!.reply.text, /"access_token":"\[REDACTED:access_token\]"/);
  assert.match(
    records[1]!.requestHeaders['authorization'] ?? '',
    /^Bearer \[REDACTED:access token sha256:[0-9a-f]{16}\]$/,
  );
  const all = JSON.stringify(records);
  assert.ok(!all.includes(token), 'the access token is kept nowhere');
  assert.doesNotMatch(all, /eyJ[\w-]{4,}\.[\w-]{4,}/, 'no JWT (token or client assertion) is kept');
});
