/**
 * Authorization requests the stub refuses (PKCE missing or plain, another acr, a redirect that
 * is neither registered nor loopback, a response type other than code) and those it accepts
 * (any loopback port and path for the sandbox client; a confidential client with its
 * registered redirect and client_secret_basic).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as client from 'openid-client';
import { driveSandboxLogin } from '../../../src/sandbox/psc/drive-login.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../../../src/sandbox/psc/professionals.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { authorizationRequest, introspect, rp, startStub } from './_stub.ts';

const s = await startStub(
  { after },
  {
    clients: [
      { clientId: 'passerelle-lps' },
      { clientId: 'web-app', clientSecret: 'web-app-secret-42', redirectUris: ['https://app.example/cb'] },
    ],
  },
);
const config = await rp(s);
const ines = DEFAULT_PSC_PROFESSIONALS[2]!;
const LOOPBACK = 'http://localhost:61000/any/path';

/** Where the stub sends the browser back, as query parameters. */
async function outcome(url: URL) {
  const back = new URL(await driveSandboxLogin(url.href, ines.rpps, { ca: s.ca }));
  return { back, params: Object.fromEntries(back.searchParams) };
}

test('without PKCE: invalid_request back to the client', async () => {
  const { url } = await authorizationRequest(config, LOOPBACK);
  url.searchParams.delete('code_challenge');
  url.searchParams.delete('code_challenge_method');
  const { back, params } = await outcome(url);
  assert.equal(`${back.origin}${back.pathname}`, LOOPBACK);
  assert.equal(params['error'], 'invalid_request');
  assert.match(params['error_description'] ?? '', /PKCE/);
});

test('PKCE plain: refused (S256 only)', async () => {
  const { url } = await authorizationRequest(config, LOOPBACK, { code_challenge_method: 'plain' });
  const { params } = await outcome(url);
  assert.equal(params['error'], 'invalid_request');
});

test('another acr asked: invalid_request back to the client', async () => {
  const { url } = await authorizationRequest(config, LOOPBACK, { acr_values: 'eidas3' });
  const { params } = await outcome(url);
  assert.equal(params['error'], 'invalid_request');
  assert.match(params['error_description'] ?? '', /eidas1/);
});

test('response_type token: unsupported_response_type', async () => {
  const { url } = await authorizationRequest(config, LOOPBACK, { response_type: 'token' });
  const res = await s.fetch(url, { redirect: 'manual' });
  await res.body?.cancel();
  const where = new URL(res.headers.get('location') ?? 'x:', url);
  // oidc-provider answers in the fragment, the default response mode of the type asked.
  assert.equal(new URLSearchParams(where.hash.slice(1)).get('error'), 'unsupported_response_type');
});

test('a non-loopback unregistered redirect: 400 invalid_redirect_uri, never redirected', async () => {
  for (const redirect of [
    'https://attacker.example/cb',
    'http://192.168.1.10:8080/cb',
    'http://user@127.0.0.1:4000/cb',
  ]) {
    const { url } = await authorizationRequest(config, redirect);
    const res = await s.fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 400, redirect);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /<code id="error">invalid_redirect_uri<\/code>/);
    const e = await rejectsCode(driveSandboxLogin(url.href, ines.rpps, { ca: s.ca }), 'ERR_MSS_LOGIN_FAILED');
    assert.deepEqual([e.details['status'], e.details['error']], [400, 'invalid_redirect_uri']);
  }
});

test('any loopback host, port and path is accepted for the sandbox client (RFC 8252 §7.3)', async () => {
  for (const redirect of ['http://127.0.0.1:1/a', 'http://localhost:65535/', 'http://[::1]:4242/cb?x=1']) {
    const { url, state } = await authorizationRequest(config, redirect);
    const { params } = await outcome(url);
    assert.deepEqual(
      [typeof params['code'], params['state'], params['iss']],
      ['string', state, s.stub.issuer],
    );
  }
});

test('a confidential client: its registered redirect, client_secret_basic, PKCE still required', async () => {
  const web = await client.discovery(
    new URL(s.stub.endpoints.walletDiscovery),
    'web-app',
    'web-app-secret-42',
    undefined,
    { [client.customFetch]: s.fetch as unknown as client.CustomFetch },
  );
  web[client.customFetch] = s.fetch as unknown as client.CustomFetch;
  const { url, verifier, state } = await authorizationRequest(web, 'https://app.example/cb');
  const back = await driveSandboxLogin(url.href, ines.rpps, { ca: s.ca });
  assert.ok(back.startsWith('https://app.example/cb?'));
  const tokens = await client.authorizationCodeGrant(web, new URL(back), {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  const intro = await introspect(s, tokens.access_token);
  assert.deepEqual(
    [intro.body['active'], intro.body['azp'], intro.body['email']],
    [true, 'web-app', ines.mailboxes[0]],
  );
  // The public client cannot use the confidential client's redirect.
  const other = await authorizationRequest(config, 'https://app.example/cb');
  const res = await s.fetch(other.url, { redirect: 'manual' });
  assert.equal(res.status, 400);
  await res.body?.cancel();
});

test('a code is single use: the second exchange is invalid_grant', async () => {
  const { url, verifier, state } = await authorizationRequest(config, LOOPBACK);
  const back = new URL(await driveSandboxLogin(url.href, ines.rpps, { ca: s.ca }));
  await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state });
  await assert.rejects(
    client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state }),
    (e: client.ResponseBodyError) => e.error === 'invalid_grant' && e.status === 400,
  );
});
