/**
 * The sandbox REST listener against requests Node's parser refuses (issue 17): a 64 KB header
 * got a socket reset; it now gets 431 with an application/problem+json body, logged with its
 * reason, and the listener still serves. A sandbox without an authorization server answers 500
 * and logs a classified code (no plain Error).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpClient } from '../../../src/oauth/create-http-client.ts';
import { createOAuthClient } from '../../../src/oauth/create-oauth-client.ts';
import type { HttpClient } from '../../../src/oauth/types.ts';
import { SANDBOX_OAUTH_CLIENT_ID } from '../../../src/sandbox/oauth/constants.ts';
import { oauthModule } from '../../../src/sandbox/oauth/module.ts';
import { restModule } from '../../../src/sandbox/rest/module.ts';
import { rawPost } from '../_raw.ts';
import { startTestSandbox, type TestSandbox } from '../oauth/_start.ts';

let sandbox: TestSandbox;
let http: HttpClient;
let base = '';

before(async () => {
  sandbox = await startTestSandbox([oauthModule(), restModule()]);
  http = createHttpClient({ ca: sandbox.pki.ca.certPem, credential: sandbox.pki.partner.tls });
  base = (sandbox.endpoints['cbss.rest'] ?? '').replace('/{api}', '');
});
after(async () => {
  await http?.close();
  await sandbox?.dispose();
});

/** A GET over mutual TLS with the given headers (the SOA tests' raw client). */
async function get(s: TestSandbox, url: string, headers: Record<string, string>) {
  const { ca, partner } = s.pki;
  const reply = await rawPost(url, '', { method: 'GET', ca: ca.certPem, client: partner.tls, headers });
  return { status: reply.status, type: reply.contentType, body: reply.text };
}

test('a 64 KB header: 431 problem+json (header-too-large in the log), then the listener still serves', async () => {
  const from = sandbox.recentLog(1000).length;
  const reply = await get(sandbox, `${base}/demo/health`, { 'x-big': 'a'.repeat(64 * 1024) });
  assert.equal(reply.status, 431);
  assert.equal(reply.type, 'application/problem+json');
  const problem = JSON.parse(reply.body) as Record<string, unknown>;
  assert.equal(problem['type'], 'urn:passerelle:sandbox:problem:header-too-large');
  assert.equal(problem['status'], 431);
  assert.ok(
    sandbox
      .recentLog(1000)
      .slice(from)
      .some((e) => e.fields['reason'] === 'header-too-large'),
  );
  assert.equal(sandbox.modules['rest']?.stats?.()['headersTooLarge'], 1);
  const token = await createOAuthClient({
    clientId: SANDBOX_OAUTH_CLIENT_ID,
    credential: sandbox.pki.partner.oauth,
    tokenEndpoint: sandbox.endpoints['oauth.token'] ?? '',
    http,
  }).getToken();
  const fine = await get(sandbox, `${base}/demo/health`, { authorization: `Bearer ${token.value}` });
  assert.equal(fine.status, 200, fine.body);
});

test('rest without an authorization server: 500 problem, ERR_CONFIG_ENDPOINT_MISSING in the log', async () => {
  const alone = await startTestSandbox([restModule()]);
  try {
    const url = `${(alone.endpoints['cbss.rest'] ?? '').replace('/{api}', '')}/demo/health`;
    const reply = await get(alone, url, { authorization: 'Bearer abc.def.ghi' });
    assert.equal(reply.status, 500);
    assert.equal(reply.type, 'application/problem+json');
    assert.equal((JSON.parse(reply.body) as Record<string, unknown>)['status'], 500);
    const entry = alone.recentLog(20).find((e) => e.msg === 'rest request failed');
    assert.equal(entry?.fields['code'], 'ERR_CONFIG_ENDPOINT_MISSING');
  } finally {
    await alone.dispose();
  }
});

test('a control body over 4 KiB: 413 problem+json with connection: close, not a 400 "send JSON"', async () => {
  const reply = await rawPost(`${base}/_control/health`, `{"status":"DOWN","pad":"${'a'.repeat(8192)}"}`, {
    ca: sandbox.pki.ca.certPem,
    client: sandbox.pki.partner.tls,
    contentType: 'application/json',
  });
  assert.equal(reply.status, 413, reply.text);
  assert.equal(reply.contentType, 'application/problem+json');
  assert.equal((JSON.parse(reply.text) as Record<string, unknown>)['status'], 413);
});
