/**
 * The stub's login page in a real browser (playwright-core driving Debian's Chromium): open the
 * authorization URL, see the professionals (markup in a name shown as text, never run), click
 * one, land on the client's loopback redirect with a code that openid-client exchanges; the CSP
 * (form-action included) lets the redirect through and reports no violation.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import * as client from 'openid-client';
import { chromium } from 'playwright-core';
import { DEFAULT_PSC_PROFESSIONALS, type PscProfessional } from '../../../src/sandbox/psc/professionals.ts';
import { DEBIAN_CHROMIUM, requirePeer } from '../../_support/peers.ts';
import { authorizationRequest, introspect, rp, startStub } from './_stub.ts';

const HOSTILE: PscProfessional = {
  rpps: '10007777774',
  name: '<img src=x onerror="window.__pwned=1">Dr "Quote" & Co',
  mailboxes: ['hostile@sandbox.mssante.fr'],
};
const s = await startStub({ after }, { professionals: [...DEFAULT_PSC_PROFESSIONALS, HOSTILE] });

// The client's loopback redirect target (what an LPS listens on during login).
const callback = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'text/plain' }).end('back'),
);
await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => callback.close(() => resolve())));
const redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;

test('Chromium: pick a professional on the login page, land on the redirect with a code', async (t) => {
  if (!requirePeer(t, 'chromium')) return;
  const browser = await chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));

  const config = await rp(s);
  const { url, verifier, state } = await authorizationRequest(config, redirectUri);
  const response = await page.goto(url.href);
  assert.equal(response?.status(), 200);
  assert.match(await page.title(), /Pro Santé Connect/);
  const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  assert.match(csp, /default-src 'none'/);
  const items = await page.locator('li').allInnerTexts();
  assert.equal(items.length, 4);
  const louis = DEFAULT_PSC_PROFESSIONALS[1]!;
  const louisItem = items.find((i) => i.includes(louis.rpps)) ?? '';
  for (const part of [louis.name, ...louis.mailboxes]) assert.ok(louisItem.includes(part), part);
  // Markup in a name is text.
  assert.ok(items.some((i) => i.includes(HOSTILE.name)));
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);

  await Promise.all([
    page.waitForURL((u) => u.href.startsWith(redirectUri)),
    page.locator(`button[data-rpps="${louis.rpps}"]`).click(),
  ]);
  const back = new URL(page.url());
  assert.equal(back.searchParams.get('state'), state);
  assert.ok(back.searchParams.get('code'));
  assert.equal(await page.locator('body').textContent(), 'back');
  assert.deepEqual(
    problems.filter((p) => /Content Security Policy|Refused/i.test(p)),
    [],
  );

  const tokens = await client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  const intro = await introspect(s, tokens.access_token);
  assert.deepEqual([intro.body['active'], intro.body['preferred_username']], [true, louis.rpps]);
});
