/**
 * PSC introspection (RFC 7662 with HTTP Basic): a fresh token is active with the claims an
 * operator's server needs; expired, not yet valid, wrongly signed, other-issuer, malformed and
 * unknown-professional tokens are inactive; a missing or wrong client authentication is 401
 * invalid_client; an oversized body is 413.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importJWK, type JWK, SignJWT } from 'jose';
import { DEFAULT_PSC_PROFESSIONALS } from '../../../src/sandbox/psc/professionals.ts';
import { introspect, startStub } from './_stub.ts';

const s = await startStub({ after });
const camille = DEFAULT_PSC_PROFESSIONALS[0]!;
const now = Date.now();

/** Claims like the stub's, signed by `key` (kid of the stub's key, so only the signature differs). */
async function forge(key: Parameters<SignJWT['sign']>[0], kid: string, claims: Record<string, unknown> = {}) {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: s.stub.issuer,
    sub: camille.rpps,
    preferred_username: camille.rpps,
    typ: 'Bearer',
    azp: 'passerelle-lps',
    acr: 'eidas1',
    scope: 'openid scope_all',
    jti: `forged-${Math.random()}`,
    iat,
    auth_time: iat,
    exp: iat + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .sign(key);
}

const stubJwk = (JSON.parse(readFileSync(join(s.stateDir, 'psc-stub.json'), 'utf8')) as { signingJwk: JWK })
  .signingJwk;

test('a fresh token is active: Keycloak claims plus email (the first mailbox) and client_id', async () => {
  const token = await s.stub.mintAccessToken({ rpps: camille.rpps });
  const r = await introspect(s, token);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const b = r.body;
  assert.deepEqual(
    [
      b['active'],
      b['preferred_username'],
      b['sub'],
      b['acr'],
      b['email'],
      b['typ'],
      b['iss'],
      b['client_id'],
    ],
    [
      true,
      camille.rpps,
      camille.rpps,
      'eidas1',
      camille.mailboxes[0],
      'Bearer',
      s.stub.issuer,
      'passerelle-lps',
    ],
  );
  assert.equal(b['exp'], (b['iat'] as number) + 300);
});

const inactive: [string, () => Promise<string>][] = [
  [
    'expired',
    () => s.stub.mintAccessToken({ rpps: camille.rpps, issuedAt: now - 600_000, expiresInSeconds: 300 }),
  ],
  ['not yet valid', () => s.stub.mintAccessToken({ rpps: camille.rpps, notBefore: now + 600_000 })],
  [
    'signed by another key',
    async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return forge(privateKey, String(stubJwk.kid));
    },
  ],
  [
    'of another issuer',
    async () =>
      forge(await importJWK(stubJwk, 'RS256'), String(stubJwk.kid), {
        iss: 'https://other/auth/realms/esante-wallet',
      }),
  ],
  [
    'not a Bearer token (typ ID)',
    async () => forge(await importJWK(stubJwk, 'RS256'), String(stubJwk.kid), { typ: 'ID' }),
  ],
  [
    'without exp',
    async () => forge(await importJWK(stubJwk, 'RS256'), String(stubJwk.kid), { exp: undefined }),
  ],
  ['malformed', async () => 'not.a.jwt'],
  ['empty', async () => ''],
  ['of an unknown professional', () => s.stub.mintAccessToken({ rpps: '19999999993' })],
];

for (const [name, make] of inactive) {
  test(`a token ${name} is inactive`, async () => {
    const r = await introspect(s, await make());
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { active: false });
  });
}

test('the same forging with the stub key and its claims is active (the cases above differ in one thing)', async () => {
  const r = await introspect(s, await forge(await importJWK(stubJwk, 'RS256'), String(stubJwk.kid)));
  assert.equal(r.body['active'], true);
});

test('introspection without, or with wrong, HTTP Basic credentials is 401 invalid_client', async () => {
  const token = await s.stub.mintAccessToken({ rpps: camille.rpps });
  const { clientId, clientSecret } = s.stub.introspectionClient;
  for (const auth of [
    null,
    { id: clientId, secret: `${clientSecret}x` },
    { id: 'passerelle-lps', secret: clientSecret },
  ]) {
    const r = await introspect(s, token, auth);
    assert.equal(r.status, 401, JSON.stringify(auth?.id));
    assert.equal(r.body['error'], 'invalid_client');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic /);
  }
  assert.ok(
    !s.log.entries.some((e) => JSON.stringify(e).includes(clientSecret)),
    'the secret is never logged',
  );
});

test('a missing token parameter is 400 invalid_request; an oversized body 413', async () => {
  const basic = `Basic ${Buffer.from(`mss-operator:${s.stub.introspectionClient.clientSecret}`).toString('base64')}`;
  const post = (body: string) =>
    s.fetch(s.stub.endpoints.introspection, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
      body,
    });
  const missing = await post('foo=bar');
  assert.deepEqual(
    [missing.status, ((await missing.json()) as { error: string }).error],
    [400, 'invalid_request'],
  );
  const big = await post(`token=${'a'.repeat(64 * 1024)}`);
  assert.deepEqual([big.status, ((await big.json()) as { error: string }).error], [413, 'invalid_request']);
  // Chunked (no Content-Length): refused once the received bytes pass the limit.
  const chunk = new TextEncoder().encode('a'.repeat(8 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === 0) controller.enqueue(new TextEncoder().encode('token='));
      if (sent > 16) controller.close();
      else controller.enqueue(chunk);
    },
  });
  const chunked = await s.fetch(s.stub.endpoints.introspection, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
    body: stream,
    duplex: 'half',
  });
  assert.deepEqual(
    [chunked.status, ((await chunked.json()) as { error: string }).error],
    [413, 'invalid_request'],
  );
});

test('the introspection client given in the options replaces the default one', async (t) => {
  const other = await startStub(t, {
    introspectionClient: { clientId: 'dovecot', clientSecret: 'dovecot-secret-0123' },
  });
  const token = await other.stub.mintAccessToken({ rpps: camille.rpps });
  assert.equal(
    (await introspect(other, token, { id: 'dovecot', secret: 'dovecot-secret-0123' })).body['active'],
    true,
  );
  const r = await introspect(other, token, {
    id: 'mss-operator',
    secret: s.stub.introspectionClient.clientSecret,
  });
  assert.deepEqual([r.status, r.body['error']], [401, 'invalid_client']);
});

test('the log says why a token is inactive, and never holds a token', async () => {
  const expired = await s.stub.mintAccessToken({ rpps: camille.rpps, issuedAt: now - 600_000 });
  const early = await s.stub.mintAccessToken({ rpps: camille.rpps, notBefore: now + 600_000 });
  const before = s.log.entries.length;
  await introspect(s, expired);
  await introspect(s, early);
  const reasons = s.log.entries.slice(before).map((e) => e.fields['reason']);
  assert.deepEqual(reasons, ['expired', 'not yet valid']);
  const all = JSON.stringify(s.log.entries);
  assert.ok(!all.includes(expired.split('.')[2]!) && !all.includes(early.split('.')[1]!));
});
