import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import type { PscAuthorizationRequest, PscClient } from '../../src/mss/psc-client.ts';
import { loginWithLoopback } from '../../src/mss/psc-loopback.ts';
import { driveSandboxLogin } from '../../src/sandbox/psc/drive-login.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { stubAndClient } from './_psc-stub.ts';

const RPPS = '10009876540';

/** GET on the loopback server (plain HTTP): status and body. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const redirectUriOf = (url: string): string => new URL(url).searchParams.get('redirect_uri')!;

test('a full loopback login: the browser is sent to PSC, comes back, gets a page without token', async (t) => {
  const { client, ca } = await stubAndClient(t);
  const pages: { status: number; body: string }[] = [];
  let redirectUri = '';
  const tokens = await loginWithLoopback({
    client,
    onUrl: async (url) => {
      redirectUri = redirectUriOf(url);
      // A request with another state is answered 400 and the wait goes on.
      pages.push(await get(`${redirectUri}?code=forged&state=not-the-one`));
      pages.push(await get(`${new URL(redirectUri).origin}/elsewhere`));
      const back = await driveSandboxLogin(url, RPPS, { ca });
      pages.push(await get(back));
    },
  });
  assert.match(redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  assert.deepEqual(
    pages.map((p) => p.status),
    [400, 404, 200],
  );
  assert.match(pages[2]!.body, /close this window/);
  assert.ok(!pages[2]!.body.includes(tokens.accessToken));
  assert.ok(!pages[2]!.body.includes('code='));
  assert.equal(tokens.rpps, RPPS);
  assert.equal(tokens.acr, 'eidas1');
  // The server is closed once the login is done.
  await assert.rejects(get(redirectUri), { code: 'ECONNREFUSED' });
});

test('a PSC error in the redirect (acr_values PSC does not offer) is ERR_MSS_LOGIN_FAILED', async (t) => {
  const { client, ca } = await stubAndClient(t);
  const eidas3: Pick<PscClient, 'authorizationRequest' | 'exchangeCode'> = {
    authorizationRequest: (uri) => {
      const r = client.authorizationRequest(uri);
      const url = new URL(r.url);
      url.searchParams.set('acr_values', 'eidas3');
      return { ...r, url: url.href, acrValues: 'eidas3' };
    },
    exchangeCode: (cb, r) => client.exchangeCode(cb, r),
  };
  let status = 0;
  const e = await rejectsCode(
    loginWithLoopback({
      client: eidas3,
      onUrl: async (url) => {
        const back = await driveSandboxLogin(url, RPPS, { ca });
        assert.ok(new URL(back).searchParams.has('error'));
        status = (await get(back)).status;
      },
    }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(status, 400);
  assert.equal(e.details['reason'], 'psc-error');
  assert.equal(e.details['error'], 'invalid_request');
});

/** A client that never reaches PSC: the browser never comes back. */
const idle: Pick<PscClient, 'authorizationRequest' | 'exchangeCode'> = {
  authorizationRequest: (redirectUri): PscAuthorizationRequest => ({
    url: `https://psc.invalid/auth?redirect_uri=${encodeURIComponent(redirectUri)}`,
    redirectUri,
    state: 's',
    codeVerifier: 'v',
    nonce: 'n',
    acrValues: 'eidas1',
  }),
  exchangeCode: () => Promise.reject(new Error('not called')),
};

test('the browser not back in time is ERR_MSS_LOGIN_FAILED (timeout), and the server is closed', async () => {
  let redirectUri = '';
  const e = await rejectsCode(
    loginWithLoopback({
      client: idle,
      timeoutMs: 50,
      onUrl: (url) => {
        redirectUri = redirectUriOf(url);
      },
    }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(e.details['reason'], 'timeout');
  await assert.rejects(get(redirectUri), { code: 'ECONNREFUSED' });
});

test('an abort ends the wait with ERR_MSS_LOGIN_FAILED (aborted)', async () => {
  const controller = new AbortController();
  const e = await rejectsCode(
    loginWithLoopback({ client: idle, signal: controller.signal, onUrl: () => controller.abort() }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(e.details['reason'], 'aborted');
  await rejectsCode(
    loginWithLoopback({ client: idle, signal: controller.signal, onUrl: () => {} }),
    'ERR_MSS_LOGIN_FAILED',
  );
});

test('a port already taken is ERR_MSS_LOGIN_FAILED', async () => {
  const controller = new AbortController();
  let listening!: (port: number) => void;
  const port = new Promise<number>((r) => {
    listening = r;
  });
  const first = loginWithLoopback({
    client: idle,
    signal: controller.signal,
    onUrl: (url) => listening(Number(new URL(redirectUriOf(url)).port)),
  });
  const taken = await port;
  const e = await rejectsCode(
    loginWithLoopback({ client: idle, port: taken, onUrl: () => {} }),
    'ERR_MSS_LOGIN_FAILED',
  );
  assert.equal(e.details['reason'], 'EADDRINUSE');
  controller.abort();
  await rejectsCode(first, 'ERR_MSS_LOGIN_FAILED');
});
