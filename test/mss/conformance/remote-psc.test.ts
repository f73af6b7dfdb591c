/**
 * connectConformancePsc against a running conformance PSC service (its admin API over TLS,
 * pinned CA): tokens minted for a run, the operator's introspections counted per token; every
 * failure ERR_MSS_CONFORMANCE_PSC with what went wrong and never the secret. The admin API
 * itself under hostile requests: no or wrong bearer, bad JSON, bad fields, an oversized body,
 * unknown paths.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type TestContext, test } from 'node:test';
import { decodeJwt } from 'jose';
import { Agent, fetch } from 'undici';
import { silentLogger } from '../../../src/log.ts';
import { connectConformancePsc } from '../../../src/mss/conformance/remote-psc.ts';
import { startConformancePsc } from '../../../src/sandbox/psc/conformance-psc.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { testPki } from '../../_support/credentials.ts';
import { freePort } from '../../_support/ports.ts';
import { tempDir } from '../../_support/tmp.ts';

async function service(t: TestContext) {
  const s = await startConformancePsc({
    host: '127.0.0.1',
    port: 0,
    stateDir: tempDir(t, 'passerelle-cpsc-'),
    log: silentLogger,
  });
  t.after(() => s.close());
  const adminSecret = readFileSync(s.adminSecretFile, 'utf8').trim();
  const dispatcher = new Agent({ connect: { ca: s.caPem } });
  t.after(() => dispatcher.close());
  /** A raw admin request, as anyone on the network could send it. */
  const raw = (path: string, init: { method?: string; body?: string; bearer?: string } = {}) =>
    fetch(`${s.origin}/conformance/v1${path}`, {
      method: init.method ?? 'GET',
      dispatcher,
      headers: {
        'content-type': 'application/json',
        ...(init.bearer === undefined ? {} : { authorization: `Bearer ${init.bearer}` }),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
  return { s, adminSecret, raw, dispatcher };
}

test('remote PSC: a token minted through the admin API; the operator introspects it; the count is per token', async (t) => {
  const { s, adminSecret, dispatcher } = await service(t);
  const psc = connectConformancePsc({ url: s.stub.issuer, adminSecret, ca: s.caPem });
  assert.equal(psc.issuer, s.stub.issuer);
  const token = await psc.mintToken({ idNat: '810002345678', mailbox: 'camille@mss.example' });
  const claims = decodeJwt(token);
  assert.equal(claims.iss, s.stub.issuer);
  assert.equal(claims['preferred_username'], '810002345678');
  const other = await psc.mintToken({ idNat: '810002345678', mailbox: 'camille@mss.example' });
  assert.equal(await psc.introspectionsOf(token), 0);
  const basic = Buffer.from(
    `${s.stub.introspectionClient.clientId}:${s.stub.introspectionClient.clientSecret}`,
  );
  for (let i = 0; i < 2; i++) {
    const r = await fetch(s.stub.endpoints.introspection, {
      method: 'POST',
      dispatcher,
      headers: {
        authorization: `Basic ${basic.toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }).toString(),
    });
    const answer = (await r.json()) as Record<string, unknown>;
    assert.equal(answer['active'], true);
    assert.equal(answer['email'], 'camille@mss.example');
  }
  assert.equal(await psc.introspectionsOf(token), 2);
  assert.equal(await psc.introspectionsOf(other), 0);
  // An origin alone names the default realm.
  assert.equal(connectConformancePsc({ url: s.origin, adminSecret, ca: s.caPem }).issuer, s.stub.issuer);
});

test('remote PSC: wrong secret, wrong CA, plain http, nothing listening: ERR_MSS_CONFORMANCE_PSC, the secret never in the error', async (t) => {
  const { s, adminSecret } = await service(t);
  const mint = { idNat: '810002345678', mailbox: 'camille@mss.example' };
  const wrong = 'not-the-admin-secret-0123456789';
  const e1 = await rejectsCode(
    connectConformancePsc({ url: s.stub.issuer, adminSecret: wrong, ca: s.caPem }).mintToken(mint),
    'ERR_MSS_CONFORMANCE_PSC',
  );
  assert.equal(e1.details['status'], 401);
  const rogue = (await testPki()).rogueCa.certificate.toString();
  const e2 = await rejectsCode(
    connectConformancePsc({ url: s.stub.issuer, adminSecret, ca: rogue }).mintToken(mint),
    'ERR_MSS_CONFORMANCE_PSC',
  );
  assert.match(String(e2.details['reason']), /certificate/i);
  assert.throws(
    () => connectConformancePsc({ url: s.stub.issuer.replace('https:', 'http:'), adminSecret, ca: s.caPem }),
    (e: { code?: string }) => e.code === 'ERR_MSS_CONFORMANCE_PSC',
  );
  const closed = await freePort();
  const e3 = await rejectsCode(
    connectConformancePsc({ url: `https://127.0.0.1:${closed}`, adminSecret, ca: s.caPem }).mintToken(mint),
    'ERR_MSS_CONFORMANCE_PSC',
  );
  assert.match(String(e3.details['reason']), /ECONNREFUSED/);
  for (const e of [e1, e2, e3]) {
    const shown = JSON.stringify(e.toJSON()) + e.message;
    assert.doesNotMatch(shown, new RegExp(adminSecret));
    assert.doesNotMatch(shown, new RegExp(wrong));
  }
});

test('conformance PSC admin API under hostile requests: 401 without the secret, 400 on bad input, 404 elsewhere; still serving after', async (t) => {
  const { s, adminSecret, raw } = await service(t);
  const good = JSON.stringify({ idNat: '810002345678', mailbox: 'camille@mss.example' });
  const status = async (r: Promise<Response> | ReturnType<typeof raw>) => (await r).status;
  assert.equal(await status(raw('/tokens', { method: 'POST', body: good })), 401);
  assert.equal(await status(raw('/tokens', { method: 'POST', body: good, bearer: `${adminSecret}x` })), 401);
  assert.equal(
    await status(raw('/tokens', { method: 'POST', body: good, bearer: adminSecret.slice(1) })),
    401,
  );
  const refused = await raw('/introspections/abc');
  assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="conformance"');
  const bad = [
    '{not json',
    '[]',
    JSON.stringify({ idNat: '81000234567890123456789', mailbox: 'camille@mss.example' }),
    JSON.stringify({ idNat: '8100 02', mailbox: 'camille@mss.example' }),
    JSON.stringify({ idNat: '810002345678', mailbox: 'no-at-sign' }),
    JSON.stringify({ idNat: '810002345678', mailbox: 'a@b', expiresInSeconds: 86_400 }),
    JSON.stringify({ idNat: '810002345678', mailbox: 'a@b', issuedAt: 1.5 }),
  ];
  for (const body of bad)
    assert.equal(await status(raw('/tokens', { method: 'POST', body, bearer: adminSecret })), 400, body);
  const huge = JSON.stringify({ idNat: '810002345678', mailbox: 'a@b', pad: 'x'.repeat(2 * 1024 * 1024) });
  const big = await raw('/tokens', { method: 'POST', body: huge, bearer: adminSecret }).then(
    (r) => r.status,
    () => 'closed',
  );
  assert.ok(big === 400 || big === 413 || big === 'closed', `oversized body: ${big}`);
  assert.equal(await status(raw('/introspections/..%2Fadmin', { bearer: adminSecret })), 404);
  assert.equal(await status(raw('/tokens', { bearer: adminSecret })), 404);
  assert.equal(await status(raw('/nothing', { bearer: adminSecret })), 404);
  const ok = await raw('/tokens', { method: 'POST', body: good, bearer: adminSecret });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('cache-control'), 'no-store');
  assert.equal(((await ok.json()) as { token_type: string }).token_type, 'Bearer');
  assert.equal(s.stub.issuer.startsWith('https://127.0.0.1:'), true);
});
