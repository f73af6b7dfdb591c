/**
 * The sandbox authorization server (oidc-provider underneath) against hostile client
 * assertions, plus its metadata, default scopes, counters and introspection. oidc-provider
 * works on real time: assertions here are dated with the system clock.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { SignJWT } from 'jose';
import { isPasserelleError } from '../../../src/errors.ts';
import { createClientAssertion } from '../../../src/oauth/create-client-assertion.ts';
import { createHttpClient } from '../../../src/oauth/create-http-client.ts';
import { createOAuthClient } from '../../../src/oauth/create-oauth-client.ts';
import type { HttpClient } from '../../../src/oauth/types.ts';
import { SANDBOX_OAUTH_CLIENT_ID, SANDBOX_SCOPES } from '../../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { testPki } from '../../_support/credentials.ts';
import { startTestSandbox, type TestSandbox } from './_start.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
let sandbox: TestSandbox;
let http: HttpClient;
let tokenUrl = '';

before(async () => {
  sandbox = await startTestSandbox([oauthModule()]);
  http = createHttpClient({ ca: sandbox.pki.ca.certPem });
  tokenUrl = sandbox.endpoints['oauth.token'] ?? '';
});
after(async () => {
  await http?.close();
  await sandbox?.dispose();
});

const stats = () => sandbox.modules['oauth']?.stats?.() ?? {};
const now = () => Math.floor(Date.now() / 1000);

async function post(assertion: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
    ...extra,
  });
  const res = await http.request(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, json: JSON.parse(res.body.toString()) as Record<string, unknown> };
}

interface Claims {
  iss?: string;
  sub?: string;
  aud?: string;
  iat?: number;
  exp?: number;
  jti?: string;
}

function claims(overrides: Claims = {}): Required<Claims> {
  const iat = now();
  return {
    iss: SANDBOX_OAUTH_CLIENT_ID,
    sub: SANDBOX_OAUTH_CLIENT_ID,
    aud: tokenUrl,
    iat,
    exp: iat + 60,
    jti: randomUUID(),
    ...overrides,
  };
}

const signed = async (c: Required<Claims>, key = sandbox.pki.partner.oauth.privateKey, alg = 'RS256') =>
  new SignJWT({ ...c }).setProtectedHeader({ alg }).sign(key);

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

test('metadata at /.well-known/oauth-authorization-server: client_credentials and private_key_jwt only, no end-user flow', async () => {
  const res = await http.request(sandbox.endpoints['oauth.metadata'] ?? '');
  const meta = JSON.parse(res.body.toString());
  assert.equal(res.status, 200);
  assert.equal(meta.token_endpoint, tokenUrl);
  assert.match(tokenUrl, /\/REST\/oauth\/v5\/token$/);
  assert.deepEqual(meta.token_endpoint_auth_methods_supported, ['private_key_jwt']);
  assert.deepEqual(meta.token_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256']);
  assert.deepEqual(meta.grant_types_supported, ['client_credentials']);
  assert.deepEqual(meta.response_types_supported, []);
  for (const absent of [
    'authorization_endpoint',
    'userinfo_endpoint',
    'end_session_endpoint',
    'pushed_authorization_request_endpoint',
    'registration_endpoint',
    'revocation_endpoint',
  ])
    assert.equal(meta[absent], undefined, absent);
  assert.equal(meta.introspection_endpoint, sandbox.endpoints['oauth.introspection']);
});

test('end-user endpoints are not served: 404 invalid_request, logged, counted', async () => {
  const issuer = new URL(tokenUrl).origin;
  const before = stats()['notServed'] ?? 0;
  for (const [method, path] of [
    ['GET', '/auth?client_id=x&response_type=code&scope=openid'],
    ['GET', '/me'],
    ['GET', '/session/end'],
    ['POST', '/request'],
    ['GET', '/.well-known/openid-configuration'],
    ['GET', '/REST/oauth/v5/token'],
  ] as const) {
    const res = await http.request(`${issuer}${path}`, {
      method,
      ...(method === 'POST' ? { body: '' } : {}),
    });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(JSON.parse(res.body.toString())['error'], 'invalid_request', path);
    assert.equal(sandbox.recentLog(1)[0]?.fields['reason'], 'not served', path);
  }
  assert.equal((stats()['notServed'] ?? 0) - before, 6);
});

test('a valid assertion gets a JWT access token with the default scopes; counted', async () => {
  const before = stats();
  const { status, json } = await post(await signed(claims()));
  assert.equal(status, 200);
  assert.equal(json['token_type'], 'Bearer');
  assert.equal(json['scope'], SANDBOX_SCOPES.join(' '));
  assert.equal(String(json['access_token']).split('.').length, 3);
  assert.equal((stats()['tokenRequests'] ?? 0) - (before['tokenRequests'] ?? 0), 1);
  assert.equal((stats()['tokensIssued'] ?? 0) - (before['tokensIssued'] ?? 0), 1);
});

test('hostile assertions are refused with invalid_client (or invalid_request) and no token', async () => {
  const { rogue, rsa } = await testPki();
  const pub = sandbox.pki.partner.oauth.certificate.publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();
  // Each case with the precise reason the sandbox logs (callers only see invalid_client).
  const cases: [string, RegExp, () => Promise<string>][] = [
    ['alg none', /alg mismatch/, async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'HS256 keyed with the public key',
      /alg mismatch/,
      () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pub)),
    ],
    ['wrong aud', /audience/, async () => signed(claims({ aud: 'https://elsewhere.example/token' }))],
    [
      'wrong iss',
      /iss \(JWT issuer\) must be the client_id/,
      async () => signed(claims({ iss: 'other:consult:client:confidential' })),
    ],
    [
      'wrong sub (unknown)',
      /client not found/,
      async () => signed(claims({ sub: 'other:consult:client:confidential' })),
    ],
    [
      'wrong sub (another registered client)',
      /iss \(JWT issuer\) must be the client_id/,
      async () => signed(claims({ sub: sandbox.pki.partner.oauthClientId })),
    ],
    ['expired', /expired/, async () => signed(claims({ iat: now() - 600, exp: now() - 300 }))],
    [
      'iat in the future',
      /iat .* in the future/,
      async () => signed(claims({ iat: now() + 600, exp: now() + 660 })),
    ],
    ['lifetime over 5 minutes', /at most 300 s/, async () => signed(claims({ exp: now() + 3600 }))],
    [
      'unknown client',
      /client not found/,
      async () => signed(claims({ iss: 'unknown:client:confidential', sub: 'unknown:client:confidential' })),
    ],
    [
      'bad signature (another key)',
      /signature verification failed/,
      async () => signed(claims(), rogue.privateKey),
    ],
    [
      'bad signature (RS256, another RSA key)',
      /signature verification failed/,
      async () => signed(claims(), rsa.privateKey, 'RS256'),
    ],
    // The client is registered for RS256: another algorithm, even with its own key, is refused.
    [
      'PS256 with the registered key (RS256 client)',
      /alg mismatch/,
      async () => signed(claims(), sandbox.pki.partner.oauth.privateKey, 'PS256'),
    ],
    [
      'aud = the issuer (accepted only with acceptIssuerAudience)',
      /audience \(aud\) must be/,
      async () => signed(claims({ aud: new URL(tokenUrl).origin })),
    ],
    [
      'tampered payload',
      /signature verification failed/,
      async () => {
        const [h, , s] = (await signed(claims())).split('.');
        return `${h}.${b64(claims({ jti: 'changed' }))}.${s}`;
      },
    ],
    ['not a JWT', /Invalid JWT|format/, async () => 'garbage'],
  ];
  const issued = stats()['tokensIssued'];
  for (const [name, reason, make] of cases) {
    const { status, json } = await post(await make());
    assert.ok(
      ['invalid_client', 'invalid_request'].includes(String(json['error'])),
      `${name}: ${JSON.stringify(json)}`,
    );
    assert.ok(status === 400 || status === 401, `${name}: HTTP ${status}`);
    assert.equal(json['access_token'], undefined, name);
    assert.match(String(sandbox.recentLog(1)[0]?.fields['reason']), reason, name);
  }
  assert.equal(stats()['tokensIssued'], issued);
});

test('a reused jti is refused (replay detection active)', async () => {
  const assertion = await signed(claims());
  assert.equal((await post(assertion)).status, 200);
  const replay = await post(assertion);
  assert.equal(replay.json['error'], 'invalid_client');
  assert.equal(replay.json['access_token'], undefined);
});

test('our client maps refusals to codes: unknown client, foreign key, unknown scope', async () => {
  const { rogue } = await testPki();
  const base = { tokenEndpoint: tokenUrl, http };
  const partner = sandbox.pki.partner.oauth;
  await assert.rejects(
    createOAuthClient({ ...base, clientId: 'unknown:client:confidential', credential: partner }).getToken(),
    (e) => isPasserelleError(e, 'ERR_OAUTH_INVALID_CLIENT'),
  );
  await assert.rejects(
    createOAuthClient({ ...base, clientId: SANDBOX_OAUTH_CLIENT_ID, credential: rogue }).getToken(),
    (e) => isPasserelleError(e, 'ERR_OAUTH_INVALID_CLIENT'),
  );
  await assert.rejects(
    createOAuthClient({ ...base, clientId: SANDBOX_OAUTH_CLIENT_ID, credential: partner }).getToken({
      scope: 'scope:other',
    }),
    (e) => isPasserelleError(e, 'ERR_OAUTH_INVALID_SCOPE'),
  );
  const scoped = await createOAuthClient({
    ...base,
    clientId: SANDBOX_OAUTH_CLIENT_ID,
    credential: partner,
  }).getToken({
    scope: 'scope:demo:health',
  });
  assert.equal(scoped.scope, 'scope:demo:health');
});

test('the PKI partner id is registered too, and the module hands the client config its client id', async () => {
  const client = createOAuthClient({
    clientId: sandbox.pki.partner.oauthClientId,
    credential: sandbox.pki.partner.oauth,
    tokenEndpoint: tokenUrl,
    http,
  });
  assert.ok((await client.getToken()).value);
  assert.equal(sandbox.clientConfig.environments?.['sandbox']?.oauth?.clientId, SANDBOX_OAUTH_CLIENT_ID);
  assert.equal(sandbox.clientConfig.environments?.['sandbox']?.endpoints?.['oauth.token'], tokenUrl);
});

test('introspection (opaque tokens): an issued token is active with its scope, garbage is not', async () => {
  const opaque = await startTestSandbox([oauthModule({ accessTokenFormat: 'opaque' })]);
  const h = createHttpClient({ ca: opaque.pki.ca.certPem });
  try {
    const url = opaque.endpoints['oauth.token'] ?? '';
    const introspect = opaque.endpoints['oauth.introspection'] ?? '';
    const client = createOAuthClient({
      clientId: SANDBOX_OAUTH_CLIENT_ID,
      credential: opaque.pki.partner.oauth,
      tokenEndpoint: url,
      http: h,
    });
    const token = await client.getToken({ scope: 'scope:demo:consult' });
    assert.notEqual(token.value.split('.').length, 3);
    const ask = async (value: string) => {
      const form = new URLSearchParams({
        token: value,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: await createClientAssertion({
          credential: opaque.pki.partner.oauth,
          clientId: SANDBOX_OAUTH_CLIENT_ID,
          audience: introspect,
        }),
      });
      const res = await h.request(introspect, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      assert.equal(res.status, 200);
      return JSON.parse(res.body.toString()) as Record<string, unknown>;
    };
    const active = await ask(token.value);
    assert.equal(active['active'], true);
    assert.equal(active['client_id'], SANDBOX_OAUTH_CLIENT_ID);
    assert.equal(active['scope'], 'scope:demo:consult');
    assert.deepEqual(await ask('not-a-token'), { active: false });
    assert.equal(opaque.modules['oauth']?.stats?.()['introspections'], 2);
  } finally {
    await h.close();
    await opaque.dispose();
  }
});
