/**
 * The web application with the REAL runner, against the project's sandbox MSSanté operator
 * (IMAP and SMTP servers that introspect tokens at the sandbox's PSC stub), in Debian's
 * Chromium: the form launches the run, the job page follows it live, the result page shows
 * the verdict and every case exactly as the run result has them, and the reports download.
 *
 * The run's PSC is the sandbox's own stub: tokens are signed with the stub's key from its state
 * directory (mintSandboxPscToken), so the sandbox servers accept them. The stub in the sandbox
 * module does not expose per-token introspection counts, so `introspectionsOf` answers with the
 * stub's count of active introspections, a total (the informational psc.introspection-used case
 * only needs it to have moved).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runConformance } from '../../../../src/mss/conformance/runner.ts';
import { requirePeer } from '../../../_support/peers.ts';
import { tempDir } from '../../../_support/tmp.ts';
import { APPLICATION, CAMILLE, startMss } from '../../../sandbox/mss/_mss.ts';
import { sandboxConformancePsc } from '../_operators.ts';
import { browserPage, json, start } from './_app.ts';

const LEFT_OUT = ['operator-interface.inbound-delivery', 'both.session-idle-timeout'];

test('Chromium + the real runner against the sandbox operator: form, live progress, result as the run has it, reports', async (t) => {
  if (!requirePeer(t, 'chromium')) return;
  const mss = await startMss(t);
  const psc = sandboxConformancePsc(mss);
  const dir = tempDir(t);
  const s = await start(
    dir,
    (req, hooks) =>
      runConformance({
        target: req.target,
        operatorName: req.operatorName,
        psc,
        ...(req.selection ? { selection: req.selection } : {}),
        caseTimeoutMs: 15_000,
        signal: hooks.signal,
        onProgress: hooks.onProgress,
      }),
    { defaultCa: mss.sandbox.pki.ca.certPem, clock: () => new Date() },
  );
  t.after(() => s.app.close());

  const { page, problems, shot } = await browserPage(t, dir);

  await page.goto(s.app.url);
  await page.fill('#f-operatorName', 'Opérateur bac à sable Passerelle');
  await page.fill('#f-imap', mss.endpoints['mss.imap']!);
  await page.fill('#f-smtp', mss.endpoints['mss.smtp.starttls']!);
  await page.fill('#f-mailbox', CAMILLE.mailboxes[0]);
  await page.fill('#f-idNat', CAMILLE.rpps);
  // The partner's certificate, registered for the sandbox's applicative mailbox (AUTH_CLI).
  const partner = mss.sandbox.pki.partner.tls;
  await page.fill('#f-clientCert', partner.certPem);
  await page.fill('#f-clientKey', partner.keyPem);
  await page.fill('#f-clientCertMailbox', APPLICATION);
  for (const id of LEFT_OUT) await page.locator(`input[name=cases][value="${id}"]`).uncheck();
  await Promise.all([page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/), page.click('button[type=submit]')]);
  const id = page.url().split('/').at(-1)!;
  await page.waitForSelector('#verdict', { timeout: 120_000 });
  await shot('sandbox-job-finished');

  const job = await json(await s.api(`/api/v1/jobs/${id}`));
  assert.equal(job.status, 'finished', JSON.stringify(job.error ?? null));
  const result = job.result;
  assert.equal(result.results.length, 23);
  assert.equal(await page.locator('#verdict').getAttribute('class'), `verdict v-${result.verdict.level}`);
  const shown = await page.$$eval('#cases tbody tr', (trs) =>
    trs.map((tr) => [
      tr.getAttribute('data-case'),
      tr.querySelector('.st')?.className,
      tr.querySelector('.msg')?.textContent,
    ]),
  );
  const byCase = new Map(result.results.map((r: { caseId: string }) => [r.caseId, r]));
  for (const [caseId, cls, message] of shown) {
    const r = byCase.get(caseId) as { status: string; message: string } | undefined;
    assert.ok(r, `${caseId} in the result`);
    assert.equal(cls, `st st-${r.status}`, caseId);
    assert.equal(message, r.message, caseId);
  }
  t.diagnostic(
    `sandbox verdict ${result.verdict.level}${result.verdict.incomplete ? ' (incomplete)' : ''}; ` +
      result.results.map((r: { caseId: string; status: string }) => `${r.caseId}=${r.status}`).join(' '),
  );
  // The valid-token cases reached the sandbox and passed: the run really talked to it.
  for (const caseId of [
    'imap.tls12-accepted',
    'smtp.tls12-accepted',
    'imap.psc-token-accepted',
    'smtp.psc-token-accepted',
  ])
    assert.equal((byCase.get(caseId) as { status: string }).status, 'passed', caseId);
  // With the applicative mailbox's certificate every selected case ran: a complete, conformant run.
  for (const caseId of ['both.client-certificate-accepted', 'both.untrusted-client-certificate-refused'])
    assert.equal((byCase.get(caseId) as { status: string }).status, 'passed', caseId);
  assert.equal(result.verdict.level, 'conformant');
  assert.equal(result.verdict.incomplete, false);
  assert.equal(result.target.clientCertificate.mailbox, APPLICATION);
  assert.match(await page.locator('#verdict').innerText(), /^Conforme$/m);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#reports a:text-is("PDF")'),
  ]);
  const pdf = join(dir, 'report.pdf');
  await download.saveAs(pdf);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  assert.deepEqual(problems, []);
});
