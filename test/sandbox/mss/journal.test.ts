import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoverPsc } from '../../../src/mss/index.ts';
import { driveSandboxLogin } from '../../../src/sandbox/psc/drive-login.ts';
import { SANDBOX_PSC_CLIENT_ID } from '../../../src/sandbox/psc/professionals.ts';
import { CAMILLE, startMss } from './_mss.ts';

test('the PSC exchanges of a login are in the sandbox journal (console), tokens, codes and PKCE verifiers redacted', async (t) => {
  const m = await startMss(t);
  const client = await discoverPsc({
    issuer: m.issuer,
    clientId: SANDBOX_PSC_CLIENT_ID,
    ca: m.sandbox.pki.ca.certPem,
  });
  t.after(() => client.close());
  const request = client.authorizationRequest('http://127.0.0.1:9/callback');
  const redirect = await driveSandboxLogin(request.url, CAMILLE.rpps, { ca: m.sandbox.pki.ca.certPem });
  const tokens = await client.exchangeCode(redirect, request);
  const psc = m.sandbox.exchanges(100).filter((e) => e.listener === 'psc');
  const paths = psc.map((e) => e.path);
  assert.ok(
    paths.some((p) => p.includes('/.well-known/wallet-openid-configuration')),
    paths.join('\n'),
  );
  assert.ok(
    paths.some((p) => p.includes('/protocol/openid-connect/token')),
    paths.join('\n'),
  );
  const all = psc.map((e) => JSON.stringify(m.sandbox.exchange(e.id))).join('\n');
  assert.ok(!all.includes(tokens.accessToken), 'no access token');
  assert.ok(!all.includes(request.codeVerifier), 'no PKCE verifier');
  const code = new URL(redirect).searchParams.get('code') as string;
  assert.ok(!all.includes(code), 'no authorization code');
  assert.match(all, /REDACTED/);
});
