/**
 * The conformance web application in a real browser (playwright-core driving Debian's
 * Chromium): the home page shows the PSC endpoints to configure; an invalid form comes back
 * with the field's message; a valid one launches a job whose page follows the run live
 * (server-sent events), then shows the verdict and the cases; the JSON, HTML and PDF reports
 * download; the job list shows the job. Markup in the operator's name stays text; the pages'
 * CSP reports no violation. Each page is screenshotted (PNG) into the test's temp dir, or into
 * PASSERELLE_SCREENSHOT_DIR when set (kept), and the paths are printed as diagnostics.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { testPki } from '../../../_support/credentials.ts';
import { requirePeer } from '../../../_support/peers.ts';
import { tempDir } from '../../../_support/tmp.ts';
import { browserPage, fakeRun, gate, PSC, start } from './_app.ts';

const pki = await testPki();
const OPERATOR = 'Opérateur <b>Test</b> & Cie';
const SELECTED = [
  'imap.tls12-accepted',
  'imap.tls10-refused',
  'smtp.tls12-accepted',
  'imap.psc-token-accepted',
  'smtp.psc-token-accepted',
  'both.expired-token-refused',
];

test('Chromium: PSC endpoints, form with an error then a job followed live, result, reports, job list', async (t) => {
  if (!requirePeer(t, 'chromium')) return;
  const dir = tempDir(t);
  const hold = gate();
  const run = fakeRun({
    step: (id) => (id === 'imap.psc-token-accepted' ? hold.wait : undefined),
    outcome: (id) => (id === 'imap.tls10-refused' ? 'failed' : 'passed'),
  });
  const s = await start(dir, run.runJob, { defaultCa: pki.ca.certPem });
  t.after(() => s.app.close());

  const { page, problems, shot } = await browserPage(t, dir);

  // Home: the PSC endpoints, shown plainly, and the form with every case checked.
  await page.goto(s.app.url);
  const psc = (await page.locator('#psc').textContent()) ?? '';
  for (const value of [
    PSC.issuer,
    PSC.introspection,
    PSC.jwks,
    PSC.discovery,
    PSC.introspectionClient.clientId,
  ])
    assert.ok(psc.includes(value), value);
  assert.ok(psc.includes(PSC.introspectionClient.clientSecret));
  assert.equal(await page.locator('input[name=cases]').count(), 25);
  assert.equal(await page.locator('input[name=cases]:checked').count(), 25);
  assert.equal(await page.inputValue('#f-ca'), pki.ca.certPem, 'the default CA is prefilled');
  await shot('1-home');

  // An invalid IMAP URL: the form comes back with the message beside the field, values kept.
  await page.fill('#f-operatorName', OPERATOR);
  await page.fill('#f-imap', 'https://127.0.0.1:10993');
  await page.fill('#f-smtp', 'smtps://127.0.0.1:10465');
  await page.fill('#f-mailbox', 'jean.dupont@sandbox.mssante.fr');
  await page.fill('#f-idNat', '810001234567');
  await page.click('button[type=submit]');
  await page.waitForSelector('#e-imap');
  assert.match((await page.locator('#e-imap').textContent()) ?? '', /imaps:\/\/host\[:port\]/);
  assert.equal(await page.inputValue('#f-operatorName'), OPERATOR);
  await shot('2-home-error');

  // Fix it, keep six cases, launch.
  await page.fill('#f-imap', 'imaps://127.0.0.1:10993');
  for (const box of await page.locator('input[name=cases]').all())
    await box.setChecked(SELECTED.includes((await box.getAttribute('value')) ?? ''));
  await Promise.all([page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/), page.click('button[type=submit]')]);
  const id = page.url().split('/').at(-1)!;
  assert.deepEqual(run.calls[0]?.selection, SELECTED);

  // Live: the first cases have finished, the held one is running, the rest wait.
  const row = (caseId: string) => page.locator(`tr[data-case="${caseId}"] .st`);
  await page.locator('tr[data-case="imap.psc-token-accepted"] .st', { hasText: 'en cours' }).waitFor();
  assert.equal(await row('imap.tls12-accepted').textContent(), 'réussi');
  assert.equal(await row('imap.tls10-refused').textContent(), 'échoué');
  assert.equal(await row('smtp.psc-token-accepted').textContent(), 'en attente');
  assert.equal(await page.locator('#count').textContent(), '3 / 6');
  assert.equal(await page.locator('#status').textContent(), 'en cours');
  await shot('3-job-running');

  // Let it finish: the page reloads with the verdict.
  hold.open();
  await page.waitForSelector('#verdict');
  assert.equal(await page.locator('#verdict').textContent(), 'Non conforme — non-conformités majeures');
  assert.equal(await page.locator('#status').textContent(), 'terminé');
  const rows = await page.$$eval('#cases tbody tr', (trs) =>
    trs.map((tr) => [tr.getAttribute('data-case'), tr.querySelector('.st')?.textContent]),
  );
  assert.deepEqual(
    rows,
    SELECTED.map((c) => [c, c === 'imap.tls10-refused' ? 'échoué' : 'réussi']),
  );
  assert.ok(
    ((await page.locator('h1').textContent()) ?? '').includes(OPERATOR),
    'markup in the name is text',
  );
  assert.equal(await page.locator('h1 b').count(), 0);
  await shot('4-job-finished');

  // Downloads: JSON and PDF as attachments; the HTML report opens.
  for (const [link, ext] of [
    ['JSON', 'json'],
    ['PDF', 'pdf'],
  ] as const) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`#reports a:text-is("${link}")`),
    ]);
    assert.match(
      download.suggestedFilename(),
      new RegExp(`^mss-conformance-operateur-b-test-b-cie-\\d{4}-\\d{2}-\\d{2}-[0-9a-f]{8}\\.${ext}$`),
    );
    const path = join(dir, `report.${ext}`);
    await download.saveAs(path);
    const bytes = readFileSync(path);
    if (ext === 'pdf') assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    else assert.equal(JSON.parse(bytes.toString('utf8')).verdict.level, 'non-conformant-major');
  }
  await Promise.all([page.waitForURL(/\/report\.html$/), page.click('#reports a:text-is("HTML")')]);
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'non-conformant-major');
  await shot('5-report-html');

  // The job list.
  await page.goto(`${s.app.url}/jobs`);
  const listed = await page.$$eval('#jobs tbody tr', (trs) =>
    trs.map((tr) => [
      tr.getAttribute('data-id'),
      ...[...tr.querySelectorAll('td')].map((td) => td.textContent),
    ]),
  );
  assert.equal(listed.length, 1);
  assert.equal(listed[0]?.[0], id);
  assert.equal(listed[0]?.[2], OPERATOR);
  assert.equal(listed[0]?.[4], 'terminé');
  assert.equal(listed[0]?.[5], 'Non conforme — non-conformités majeures');
  await shot('6-jobs');

  assert.deepEqual(
    problems.filter((p) => /Content Security Policy|Refused|Error/i.test(p)),
    [],
  );
});
