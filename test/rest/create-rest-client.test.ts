/**
 * The REST client against the sandbox (oauth + rest modules): JSON, typed problem errors,
 * one refresh-and-retry on 401 invalid_token, streaming, and the token economy counted by the
 * sandbox authorization server. Real time (oidc-provider underneath).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { createHttpClient } from '../../src/oauth/create-http-client.ts';
import { createOAuthClient } from '../../src/oauth/create-oauth-client.ts';
import type { AccessToken, HttpClient } from '../../src/oauth/types.ts';
import { createRestClient } from '../../src/rest/create-rest-client.ts';
import type { TokenSource } from '../../src/rest/types.ts';
import { SANDBOX_OAUTH_CLIENT_ID } from '../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { restModule } from '../../src/sandbox/rest/module.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

let sandbox: TestSandbox;
let http: HttpClient;
const SSIN = '85073003328';

before(async () => {
  sandbox = await startTestSandbox([oauthModule(), restModule()]);
  http = createHttpClient({ ca: sandbox.pki.ca.certPem, credential: sandbox.pki.partner.tls });
});
after(async () => {
  await http?.close();
  await sandbox?.dispose();
});

const tokenRequests = () => sandbox.modules['oauth']?.stats?.()['tokenRequests'] ?? 0;

function clients(options: { clock?: FrozenClock; scope?: string } = {}) {
  const oauth = createOAuthClient({
    clientId: SANDBOX_OAUTH_CLIENT_ID,
    credential: sandbox.pki.partner.oauth,
    metadataUrl: sandbox.endpoints['oauth.metadata'] ?? '',
    http,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  });
  return {
    oauth,
    rest: createRestClient({ baseUrl: sandbox.endpoints['cbss.rest'] ?? '', tokens: oauth, http }),
  };
}

test('1,000 REST calls within one token lifetime make exactly one token request', async () => {
  const { rest } = clients();
  const before = tokenRequests();
  for (let i = 0; i < 1000; i++) {
    const res = await rest.get(`/v1/persons/${SSIN}`, { api: 'demo' });
    assert.equal(res.status, 200);
  }
  assert.equal(tokenRequests() - before, 1);
  const stats = sandbox.modules['rest']?.stats?.() ?? {};
  assert.ok((stats['maxRequestsPerToken'] ?? 0) >= 1000);
});

test('50 concurrent first calls make one token request', async () => {
  const { rest } = clients();
  const before = tokenRequests();
  const results = await Promise.all(Array.from({ length: 50 }, () => rest.get('/health', { api: 'demo' })));
  assert.ok(results.every((r) => r.status === 200 && (r.body as { status: string }).status === 'UP'));
  assert.equal(tokenRequests() - before, 1);
});

test('typed problem errors: 404 ERR_REST_NOT_FOUND, 403 ERR_REST_FORBIDDEN, 400 ERR_REST_PROBLEM, with details', async () => {
  const { rest } = clients();
  await assert.rejects(rest.get('/v1/nothing', { api: 'demo' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_REST_NOT_FOUND'));
    assert.equal(e.details['status'], 404);
    assert.equal(e.details['title'], 'Not Found');
    assert.equal(e.details['type'], 'urn:passerelle:sandbox:problem:not-found');
    return true;
  });
  await assert.rejects(
    rest.get(`/v1/persons/${SSIN}`, { api: 'demo', scope: 'scope:demo:health' }),
    (e: unknown) => {
      assert.ok(isPasserelleError(e, 'ERR_REST_FORBIDDEN'));
      assert.equal(e.details['authError'], 'insufficient_scope');
      assert.equal(e.details['requiredScope'], 'scope:demo:consult');
      return true;
    },
  );
  await assert.rejects(rest.get('/v1/persons/12345678901', { api: 'demo' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_REST_PROBLEM'));
    assert.equal(e.details['status'], 400);
    assert.match(String(e.details['detail']), /SSIN/);
    return true;
  });
});

test('401 invalid_token: one refresh and one retry, then success', async () => {
  // A frozen client clock keeps a token the server already considers expired: the 401 path.
  const short = await startTestSandbox([
    oauthModule({ accessTokenTtlSeconds: 2 }),
    restModule({ clockToleranceSeconds: 0 }),
  ]);
  const h = createHttpClient({ ca: short.pki.ca.certPem, credential: short.pki.partner.tls });
  try {
    const oauth = createOAuthClient({
      clientId: SANDBOX_OAUTH_CLIENT_ID,
      credential: short.pki.partner.oauth,
      tokenEndpoint: short.endpoints['oauth.token'] ?? '',
      http: h,
      clock: new FrozenClock(Date.now()),
    });
    const rest = createRestClient({ baseUrl: short.endpoints['cbss.rest'] ?? '', tokens: oauth, http: h });
    const count = () => short.modules['oauth']?.stats?.()['tokenRequests'] ?? 0;
    assert.equal((await rest.get('/health', { api: 'demo' })).status, 200);
    await sleep(2100); // JWT times are whole seconds: a 2 s token lasts more than 1 s and less than 2.1 s
    const res = await rest.get('/health', { api: 'demo' });
    assert.equal(res.status, 200);
    assert.equal(count(), 2);
    assert.equal(short.modules['rest']?.stats?.()['unauthorized'], 1);
  } finally {
    await h.close();
    await short.dispose();
  }
});

test('a token the API keeps refusing: one retry only, then ERR_REST_UNAUTHORIZED with the challenge', async () => {
  let gets = 0;
  let invalidated = 0;
  const bogus = {
    value: 'bogus',
    tokenType: 'Bearer',
    expiresAt: Date.now() + 60_000,
    expiresIn: 60,
    scope: undefined,
    fingerprint: 'x',
  } as AccessToken;
  const tokens: TokenSource = {
    getToken: async () => {
      gets++;
      return bogus;
    },
    invalidate: () => void invalidated++,
  };
  const rest = createRestClient({ baseUrl: sandbox.endpoints['cbss.rest'] ?? '', tokens, http });
  await assert.rejects(rest.get('/health', { api: 'demo' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_REST_UNAUTHORIZED'));
    assert.equal(e.details['authError'], 'invalid_token');
    assert.doesNotMatch(JSON.stringify(e.toJSON()), /bogus/);
    return true;
  });
  assert.equal(gets, 2);
  assert.equal(invalidated, 1);
});

test('503 DOWN is returned when accepted; streaming bodies on request', async () => {
  const { rest } = clients();
  await http.request(sandbox.endpoints['rest.control'] ?? '', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'DOWN' }),
  });
  try {
    await assert.rejects(rest.get('/health', { api: 'demo' }), (e) =>
      isPasserelleError(e, 'ERR_REST_PROBLEM'),
    );
    const down = await rest.get('/health', { api: 'demo', acceptStatus: [503] });
    assert.deepEqual([down.status, down.body], [503, { status: 'DOWN' }]);
  } finally {
    await http.request(sandbox.endpoints['rest.control'] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'UP' }),
    });
  }
  const streamed = await rest.requestStream(`/v1/persons/${SSIN}`, { api: 'demo' });
  const chunks: Buffer[] = [];
  for await (const c of streamed.body) chunks.push(c as Buffer);
  assert.equal(JSON.parse(Buffer.concat(chunks).toString()).ssin, SSIN);
});

test('wrong use is a TypeError: bad API name, relative or dot-segment paths, plain http base', async () => {
  const { rest } = clients();
  await assert.rejects(rest.get('/health', { api: '../etc' }), TypeError);
  await assert.rejects(rest.get('health', { api: 'demo' }), TypeError);
  await assert.rejects(rest.get('/v1/../../x', { api: 'demo' }), TypeError);
  assert.throws(() => createRestClient({ baseUrl: 'http://localhost/{api}', http }), TypeError);
});
