import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { FrozenClock } from '../../src/clock.ts';
import { CLIENT_ASSERTION_TYPE, createClientAssertion } from '../../src/oauth/create-client-assertion.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';

const clock = new FrozenClock(TEST_NOW);
const CLIENT = 'partenaire:federal:service:bus:client:confidential';
const AUD = 'https://professionalservices-int.socialsecurity.be/REST/oauth/v5/token';

test('an RSA key signs RS256 with iss = sub = client id, aud, jti, iat and exp (default 90 s)', async () => {
  const { rsa } = await testPki();
  const jwt = await createClientAssertion({ credential: rsa, clientId: CLIENT, audience: AUD, clock });
  const { payload, protectedHeader } = await jwtVerify(jwt, rsa.certificate.publicKey, {
    algorithms: ['RS256'],
    currentDate: new Date(TEST_NOW),
    issuer: CLIENT,
    subject: CLIENT,
    audience: AUD,
  });
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(protectedHeader.kid, undefined);
  assert.equal(payload.iat, TEST_NOW / 1000);
  assert.equal(payload.exp, TEST_NOW / 1000 + 90);
  assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
  assert.equal(CLIENT_ASSERTION_TYPE, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
});

test('every assertion has a fresh jti', async () => {
  const { rsa } = await testPki();
  const ids = new Set<unknown>();
  for (let i = 0; i < 20; i++) {
    const jwt = await createClientAssertion({ credential: rsa, clientId: CLIENT, audience: AUD, clock });
    ids.add(JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()).jti);
  }
  assert.equal(ids.size, 20);
});

test('PS256 on request for RSA; ES256 for an EC P-256 key; kid and x5t#S256 headers on request', async () => {
  const { rsa, ec } = await testPki();
  const ps = await createClientAssertion({
    credential: rsa,
    clientId: CLIENT,
    audience: AUD,
    clock,
    alg: 'PS256',
  });
  await jwtVerify(ps, rsa.certificate.publicKey, { algorithms: ['PS256'], currentDate: new Date(TEST_NOW) });
  const es = await createClientAssertion({
    credential: ec,
    clientId: CLIENT,
    audience: AUD,
    clock,
    kid: true,
    x5tS256: true,
    lifetimeSeconds: 300,
  });
  const { payload, protectedHeader } = await jwtVerify(es, ec.certificate.publicKey, {
    algorithms: ['ES256'],
    currentDate: new Date(TEST_NOW),
  });
  const thumb = createHash('sha256').update(ec.certificate.raw).digest('base64url');
  assert.equal(protectedHeader['x5t#S256'], thumb);
  assert.equal(protectedHeader.kid, thumb);
  assert.equal(Number(payload.exp) - Number(payload.iat), 300);
  const named = await createClientAssertion({
    credential: ec,
    clientId: CLIENT,
    audience: AUD,
    clock,
    kid: 'k1',
  });
  assert.equal(decodeProtectedHeader(named).kid, 'k1');
});

test('wrong use is a TypeError: algorithm outside the allow-list or not matching the key, lifetime over 5 min', async () => {
  const { rsa, ec } = await testPki();
  const base = { clientId: CLIENT, audience: AUD, clock };
  await assert.rejects(createClientAssertion({ ...base, credential: rsa, alg: 'ES256' }), TypeError);
  await assert.rejects(createClientAssertion({ ...base, credential: ec, alg: 'RS256' }), TypeError);
  await assert.rejects(
    // @ts-expect-error: HS256 is not an assertion algorithm
    createClientAssertion({ ...base, credential: rsa, alg: 'HS256' }),
    TypeError,
  );
  await assert.rejects(createClientAssertion({ ...base, credential: rsa, lifetimeSeconds: 301 }), TypeError);
  await assert.rejects(createClientAssertion({ ...base, credential: rsa, clientId: '' }), TypeError);
});
