/**
 * The console's exchange view in a real browser (playwright-core driving Debian's Chromium):
 * a signed call made with the service client, a call whose Body was changed after signing and
 * a hostile request are listed; their details show the request, the reply and the per-reference
 * verdicts; markup in a received request is shown as text and never runs. Set
 * PASSERELLE_SCREENSHOT=/path.png to keep a screenshot of the page.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
import { FrozenClock } from '../../../src/clock.ts';
import { resolveEnvironment } from '../../../src/config/environment.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { consoleModule } from '../../../src/sandbox/console/module.ts';
import { startSandbox } from '../../../src/sandbox/host.ts';
import { soaModule } from '../../../src/sandbox/soa/module.ts';
import { createServiceClients } from '../../../src/services/create-service-clients.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { DEBIAN_CHROMIUM, requirePeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { httpsGet } from '../_https.ts';
import { rawPost } from '../_raw.ts';
import { accessControlEnvelope } from '../soa/_hostile.ts';

const HOSTILE =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<p>&lt;/pre&gt;</p><script>window.__pwned = 1; alert(1)</script>' +
  '<img src="x" onerror="window.__pwned = 2"/></soapenv:Body></soapenv:Envelope>';

const clock = new FrozenClock(TEST_NOW);
const sandbox = await startSandbox({
  stateDir: join(tempDir({ after }, 'passerelle-console-browser-'), 'state'),
  clock,
  modules: [consoleModule(), soaModule()],
});
after(() => sandbox.close());
const environment = resolveEnvironment(
  await loadConfig({ path: sandbox.configPath, env: {} }),
  'sandbox',
  {},
);
const clients = await createServiceClients(environment, { clock, processEnv: {} });
after(() => clients.close());

// 1. A signed call made by the service client.
const answered = await clients.ehealth.checkAccessControl('Hello from the browser test');
// 2. The same kind of call, its Body changed after signing.
const url = `${sandbox.endpoints['ehealth.soa']}/PlatformIntegrationConsumerTest/v1`;
const tls = { ca: sandbox.pki.ca.certPem, client: sandbox.pki.partner.tls };
const signed = signEnvelope(accessControlEnvelope('pay 10 EUR'), {
  credential: sandbox.pki.partner.signing,
  clock,
});
const tampered = await rawPost(url, signed.replace('pay 10 EUR', 'pay 10000 EUR'), tls);
// 3. A hostile request: markup in the body and in the SOAPAction header.
await rawPost(url, HOSTILE, { ...tls, headers: { soapaction: '"<img src=x onerror=window.__pwned=3>"' } });
const [hostile, changed, good] = sandbox.exchanges(3);
const consoleUrl = sandbox.endpoints['console']!;

test('the journal holds the three exchanges; the console API lists them and serves each in full', async () => {
  assert.equal(answered.message, 'Hello from the browser test');
  assert.equal(tampered.status, 500);
  assert.deepEqual(
    [good?.operation, good?.status, good?.verification?.outcome],
    ['checkAccessControl', 200, 'ok'],
  );
  assert.deepEqual([changed?.fault, changed?.verification?.code], ['SOA-01001', 'ERR_WSS_DIGEST_MISMATCH']);
  assert.equal(hostile?.fault, 'SOA-03005');

  const ca = sandbox.pki.ca.certPem;
  const list = await httpsGet(`${consoleUrl}api/v1/exchanges?limit=2`, ca);
  assert.equal(list.status, 200);
  const listed = JSON.parse(list.body);
  assert.deepEqual(
    [listed.capacity, listed.maxEntryBytes, listed.recorded, listed.dropped],
    [200, 256 * 1024, 3, 0],
  );
  assert.deepEqual(
    listed.exchanges.map((x: { id: string }) => x.id),
    [hostile?.id, changed?.id],
  );
  assert.equal(listed.exchanges[0].request, undefined, 'summaries only');
  const one = await httpsGet(`${consoleUrl}api/v1/exchanges/${changed?.id}`, ca);
  assert.equal(one.status, 200);
  const record = JSON.parse(one.body);
  assert.match(record.request.text, /pay 10000 EUR/);
  assert.match(record.reply.text, /SOA-01001/);
  assert.match(record.clientSubject, /CN=urn:be:fgov:ehealth:sandbox:partner/);
  assert.deepEqual(
    record.verificationReport.message.references.map((r: { target: string; digest: string }) => [
      r.target,
      r.digest,
    ]),
    [
      ['Timestamp', 'ok'],
      ['Body', 'mismatch'],
      ['BinarySecurityToken', 'ok'],
    ],
  );
  assert.doesNotMatch(one.body, /PRIVATE KEY/);
  for (const missing of ['999', 'abc', '1%2F..']) {
    const res = await httpsGet(`${consoleUrl}api/v1/exchanges/${missing}`, ca);
    assert.equal(res.status, 404, missing);
    assert.equal(res.headers['content-type'], 'application/problem+json');
  }
  for (const bad of ['0', '10001', 'x']) {
    assert.equal((await httpsGet(`${consoleUrl}api/v1/exchanges?limit=${bad}`, ca)).status, 400, bad);
  }
});

test('the console page lists exchanges and shows request, reply and per-reference verdicts; received markup never runs', async (t) => {
  if (!requirePeer(t, 'chromium')) return;
  const browser = await chromium.launch({
    executablePath: DEBIAN_CHROMIUM,
    args: ['--no-sandbox'],
    timeout: 60_000,
  });
  t.after(() => browser.close());
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(consoleUrl);
  await page.waitForSelector(`#exchanges tr[data-id="${hostile!.id}"]`);
  const rows = await page.$$eval('#exchanges tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
  );
  assert.equal(rows.length, 3);
  assert.deepEqual(
    rows.map((r) => r[0]),
    [hostile!.id, changed!.id, good!.id],
    'newest first',
  );
  assert.equal(rows[1]?.[5], 'SOA-01001');
  assert.equal(rows[1]?.[6], 'refused (ERR_WSS_DIGEST_MISMATCH)');
  assert.equal(rows[2]?.[4], '200');
  assert.equal(rows[2]?.[6], 'ok');

  /** Opens an exchange by clicking its row; resolves the detail's reference rows. */
  const open = async (id: string) => {
    await page.click(`#exchanges tr[data-id="${id}"]`);
    await page.waitForSelector(`#detail h2:text-is("Exchange ${id}")`);
    return page.$$eval('#detail table.refs tr', (trs) =>
      trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
  };
  const goodRefs = await open(good!.id);
  assert.deepEqual(
    goodRefs.map((r) => [r[1], r[2], r[3]]),
    [
      ['Timestamp', 'sha256', 'ok'],
      ['Body', 'sha256', 'ok'],
      ['BinarySecurityToken', 'sha256', 'ok'],
    ],
  );
  const detail = (await page.textContent('#detail')) ?? '';
  assert.match(detail, /CN=urn:be:fgov:ehealth:sandbox:partner/, 'the signer and the client TLS subject');
  assert.match(detail, /Hello from the browser test/, 'the request body');
  assert.match(detail, /CheckAccessControlResponse/, 'the reply body');
  assert.match(detail, /SignatureValue\s*ok/);

  const changedRefs = await open(changed!.id);
  assert.deepEqual(
    changedRefs.map((r) => [r[1], r[3]]),
    [
      ['Timestamp', 'ok'],
      ['Body', 'mismatch (ERR_WSS_DIGEST_MISMATCH)'],
      ['BinarySecurityToken', 'ok'],
    ],
  );
  assert.match((await page.textContent('#detail')) ?? '', /pay 10000 EUR/);
  if (process.env['PASSERELLE_SCREENSHOT'])
    await page.screenshot({ path: process.env['PASSERELLE_SCREENSHOT'], fullPage: true });

  await open(hostile!.id);
  const shown = await page.$$eval('#detail pre', (pres) => pres.map((p) => p.textContent ?? ''));
  assert.ok(shown.some((text) => text.includes('<script>window.__pwned = 1; alert(1)</script>')));
  assert.ok(shown.some((text) => text.includes('soapaction: "<img src=x onerror=window.__pwned=3>"')));
  // A function, not a string: the page's CSP forbids eval. No DOM types here, hence the cast.
  const effects = await page.evaluate(() => {
    const page = globalThis as unknown as {
      __pwned?: number;
      document: { scripts: { length: number }; images: { length: number } };
    };
    return {
      pwned: page.__pwned,
      scripts: page.document.scripts.length,
      images: page.document.images.length,
    };
  });
  assert.deepEqual(effects, { pwned: undefined, scripts: 1, images: 0 });
  assert.deepEqual(dialogs, []);
});
