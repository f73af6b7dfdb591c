/**
 * The PSC client against the sandbox's Pro Santé Connect stub (oidc-provider): discovery at the
 * wallet path, the code flow's checks, refresh, and TLS pinning.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { discoverPsc, type PscClient } from '../../src/mss/psc-client.ts';
import { MssSession } from '../../src/mss/session.ts';
import { driveSandboxLogin } from '../../src/sandbox/psc/drive-login.ts';
import { SANDBOX_PSC_CLIENT_ID } from '../../src/sandbox/psc/professionals.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { testPki } from '../_support/credentials.ts';
import { stubAndClient } from './_psc-stub.ts';

const RPPS = '10001234565';
/** Not listened on: driveSandboxLogin returns the redirect without following it. */
const REDIRECT = 'http://127.0.0.1:9/callback';

async function codeFor(client: PscClient, ca: string) {
  const request = client.authorizationRequest(REDIRECT);
  const callback = await driveSandboxLogin(request.url, RPPS, { ca });
  return { request, callback };
}

test('discovery at the wallet path; the authorization URL asks for PKCE S256, scope_all and eidas1', async (t) => {
  const { stub, client } = await stubAndClient(t);
  assert.equal(client.issuer, stub.issuer);
  const request = client.authorizationRequest(REDIRECT);
  const url = new URL(request.url);
  assert.equal(`${url.origin}${url.pathname}`, stub.endpoints.authorization);
  const q = url.searchParams;
  assert.equal(q.get('client_id'), SANDBOX_PSC_CLIENT_ID);
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('scope'), 'openid scope_all');
  assert.equal(q.get('acr_values'), 'eidas1');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('state'), request.state);
  assert.equal(q.get('nonce'), request.nonce);
  assert.equal(q.get('redirect_uri'), REDIRECT);
  assert.ok(!request.url.includes(request.codeVerifier));
  assert.notEqual(client.authorizationRequest(REDIRECT).state, request.state);
});

test('a discovery path the issuer does not serve, or another issuer in the document, is ERR_MSS_PSC', async (t) => {
  const { stub, ca } = await stubAndClient(t);
  const e = await rejectsCode(
    discoverPsc({ issuer: stub.issuer, clientId: 'x', ca, discoveryPath: '/.well-known/nothing-here' }),
    'ERR_MSS_PSC',
  );
  assert.equal(e.details['status'], '404');
  const other = stub.issuer.replace('127.0.0.1', 'localhost'); // same server, another issuer name
  const e2 = await rejectsCode(discoverPsc({ issuer: other, clientId: 'x', ca }), 'ERR_MSS_PSC');
  assert.match(e2.message, /another issuer/);
});

test('an untrusted PSC certificate (wrong CA) is ERR_MSS_TLS', async (t) => {
  const { stub } = await stubAndClient(t);
  const { rogueCa } = await testPki();
  const e = await rejectsCode(
    discoverPsc({ issuer: stub.issuer, clientId: SANDBOX_PSC_CLIENT_ID, ca: rogueCa.certPem }),
    'ERR_MSS_TLS',
  );
  assert.equal(e.details['step'], 'discovery');
});

test('exchangeCode gives the tokens of the professional; refresh renews them and keeps the login time', async (t) => {
  const { client, ca } = await stubAndClient(t);
  const before = Date.now();
  const { request, callback } = await codeFor(client, ca);
  const tokens = await client.exchangeCode(callback, request);
  assert.equal(tokens.rpps, RPPS);
  assert.equal(tokens.acr, 'eidas1');
  assert.ok(tokens.refreshToken && tokens.idToken);
  assert.ok(tokens.loggedInAt >= before && tokens.loggedInAt <= Date.now());
  assert.ok(Math.abs(tokens.expiresAt - (tokens.loggedInAt + 300_000)) < 5_000);
  assert.ok(tokens.refreshExpiresAt !== undefined && tokens.refreshExpiresAt > tokens.expiresAt);

  const renewed = await client.refresh(tokens);
  assert.notEqual(renewed.accessToken, tokens.accessToken);
  assert.notEqual(renewed.refreshToken, tokens.refreshToken, 'the stub rotates refresh tokens');
  assert.equal(renewed.loggedInAt, tokens.loggedInAt);
  assert.equal(renewed.rpps, RPPS);

  // The rotated-out refresh token is refused: the session must log in again.
  const e = await rejectsCode(client.refresh(tokens), 'ERR_MSS_TOKEN_EXPIRED');
  assert.equal(e.details['error'], 'invalid_grant');
  assert.ok(!JSON.stringify(e.toJSON()).includes(tokens.refreshToken!));
  await rejectsCode(
    client.refresh({ ...renewed, refreshToken: 'not-a-refresh-token' }),
    'ERR_MSS_TOKEN_EXPIRED',
  );
  await rejectsCode(client.refresh({ ...renewed, refreshToken: undefined }), 'ERR_MSS_TOKEN_EXPIRED');
  await rejectsCode(
    client.refresh({ ...renewed, refreshExpiresAt: Date.now() - 1 }),
    'ERR_MSS_TOKEN_EXPIRED',
  );
});

test('the login checks: state, nonce, PKCE verifier, and the acr asked for → ERR_MSS_LOGIN_FAILED', async (t) => {
  const { client, ca } = await stubAndClient(t);
  const first = await codeFor(client, ca);
  await rejectsCode(
    client.exchangeCode(first.callback, { ...first.request, state: 'other' }),
    'ERR_MSS_LOGIN_FAILED',
  );
  // PSC vouches for eidas1; a session that asked for another level must not take it.
  const e = await rejectsCode(
    client.exchangeCode(first.callback, { ...first.request, acrValues: 'eidas3' }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(e.details['reason'], 'acr');
  assert.equal(e.details['acr'], 'eidas1');
  // The code was used by the exchange above: a second use is refused.
  await rejectsCode(client.exchangeCode(first.callback, first.request), 'ERR_MSS_LOGIN_FAILED');

  const second = await codeFor(client, ca);
  await rejectsCode(
    client.exchangeCode(second.callback, { ...second.request, nonce: 'another-nonce' }),
    'ERR_MSS_LOGIN_FAILED',
  );
  const third = await codeFor(client, ca);
  const pkce = await rejectsCode(
    client.exchangeCode(third.callback, { ...third.request, codeVerifier: 'x'.repeat(43) }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(pkce.details['error'], 'invalid_grant');
});

test('an MssSession over the stub refreshes through PSC before the token expires', async (t) => {
  const clock = new FrozenClock(Date.now());
  const { stub, ca } = await stubAndClient(t);
  const client = await discoverPsc({ issuer: stub.issuer, clientId: SANDBOX_PSC_CLIENT_ID, ca, clock });
  t.after(() => client.close());
  const { request, callback } = await codeFor(client, ca);
  const tokens = await client.exchangeCode(callback, request);
  const saved: string[] = [];
  const session = new MssSession({
    tokens,
    clock,
    refresh: (t) => client.refresh(t),
    onTokens: (t) => void saved.push(t.accessToken),
  });
  assert.equal(await session.accessToken(), tokens.accessToken);
  clock.advance(275_000); // 25 s left
  const fresh = await session.accessToken();
  assert.notEqual(fresh, tokens.accessToken);
  assert.deepEqual(saved, [fresh]);
  assert.equal(session.tokens.expiresAt, clock.now() + 300_000);
});
