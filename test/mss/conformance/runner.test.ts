/**
 * The runner against Debian's Dovecot, the independent operator: configured as the seed asks
 * (TLS ≥ 1.2, SASL-IR, XOAUTH2 introspecting the conformance PSC, EXTERNAL for client
 * certificates, submission relayed through an MTA to LMTP and to the application's receiver)
 * the whole catalogue passes; each deliberately lax configuration fails exactly the cases that
 * check it, with their severity, and the verdict follows.
 *
 * The clocks are real here: Dovecot, OpenSSL and the PSC service read the system time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeReports } from '../../../src/mss/conformance/report-files.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { runAgainstDovecot } from './_operators.ts';

test('Dovecot configured as the seed asks: every case passes, verdict conformant', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed, seconds, dovecot } = await runAgainstDovecot(t, {});
  assert.deepEqual(failed, [], dovecot.log().slice(-4000));
  assert.equal(result.verdict.level, 'conformant');
  assert.equal(result.verdict.incomplete, false);
  const inbound = result.results.find((r) => r.caseId === 'operator-interface.inbound-delivery');
  assert.equal(inbound?.status, 'passed');
  assert.match(inbound?.message ?? '', /over TLSv1\.[23]/);
  assert.ok(seconds < 60, `a full run takes ${seconds} s`);
});

test("Dovecot's STARTTLS ports (143, 587) list XOAUTH2 before TLS: the no-auth-before-TLS case fails (major)", async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed } = await runAgainstDovecot(t, { starttls: true });
  assert.deepEqual(failed, ['both.no-auth-before-tls']);
  const r = result.results.find((c) => c.caseId === 'both.no-auth-before-tls');
  assert.match(r?.message ?? '', /IMAP: .*XOAUTH2.*SMTP: offered before TLS: XOAUTH2/s);
  assert.equal(result.verdict.level, 'non-conformant-major');
});

test('Dovecot accepting TLS 1.0 and 1.1: those four cases fail (major), verdict non-conformant (major)', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed } = await runAgainstDovecot(t, { lax: { tls10: true } });
  assert.deepEqual(failed, [
    'imap.tls10-refused',
    'imap.tls11-refused',
    'smtp.tls10-refused',
    'smtp.tls11-refused',
  ]);
  assert.deepEqual(new Set(result.verdict.failures.map((f) => f.severity)), new Set(['major']));
  assert.equal(result.verdict.level, 'non-conformant-major');
});

test('Dovecot without SASL-IR: the IMAP advertisement case fails (blocking), verdict non-conformant (blocking)', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed } = await runAgainstDovecot(t, { lax: { noSaslIr: true } });
  assert.deepEqual(failed, ['imap.xoauth2-advertised-after-tls']);
  assert.equal(result.verdict.failures[0]?.severity, 'blocking');
  assert.equal(result.verdict.level, 'non-conformant-blocking');
});

test('Dovecot taking plaintext LOGIN/PLAIN before STARTTLS: the plaintext case fails (major) on both protocols', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed } = await runAgainstDovecot(t, {
    lax: { plaintextBeforeTls: true },
    starttls: true,
  });
  // The STARTTLS ports list XOAUTH2 before TLS as well (previous test).
  assert.deepEqual(failed, ['both.no-auth-before-tls', 'both.no-plaintext-login-before-tls']);
  const r = result.results.find((c) => c.caseId === 'both.no-plaintext-login-before-tls');
  assert.match(r?.message ?? '', /IMAP: .*SMTP: /s);
  assert.equal(result.verdict.level, 'non-conformant-major');
});

test('Dovecot trusting tokens without checking their issuer: the foreign-issuer case fails (blocking)', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed } = await runAgainstDovecot(t, { issuerBlind: true });
  assert.deepEqual(failed, ['both.foreign-issuer-token-refused']);
  assert.equal(result.verdict.level, 'non-conformant-blocking');
  // The reports of a real run: page 1 of the PDF, as poppler reads and renders it.
  if (!requirePeer(t, 'poppler')) return;
  const dir = process.env['PASSERELLE_SCREENSHOT_DIR'] ?? tempDir(t, 'passerelle-dovecot-report-');
  const paths = await writeReports(dir, result);
  const page1 = runPeer('pdftotext', ['-layout', '-f', '1', '-l', '1', '-enc', 'UTF-8', paths.pdf, '-']);
  assert.equal(page1.status, 0, page1.stderr);
  assert.match(page1.stdout, /Non conforme \(non-conformités bloquantes\)/);
  assert.match(page1.stdout, /Dovecot 2\.3 \(Debian\)/);
  assert.match(page1.stdout, /both\.foreign-issuer-token-refused/);
  assert.doesNotMatch(page1.stdout, /INCOMPLET/);
  const png = runPeer('pdftoppm', [
    '-png',
    '-r',
    '70',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    paths.pdf,
    `${dir}/dovecot-issuer-blind-page1`,
  ]);
  assert.equal(png.status, 0, png.stderr);
  t.diagnostic(
    `reports: ${paths.json}, ${paths.html}, ${paths.pdf}; page 1: ${dir}/dovecot-issuer-blind-page1.png`,
  );
});

test("an operator MTA delivering to the application's mailbox in clear: the operator-interface case fails (major)", async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { result, failed } = await runAgainstDovecot(t, { clearRelay: true });
  assert.deepEqual(failed, ['operator-interface.inbound-delivery']);
  const r = result.results.find((c) => c.caseId === 'operator-interface.inbound-delivery');
  assert.match(r?.message ?? '', /plain SMTP/);
  assert.equal(result.verdict.level, 'non-conformant-major');
});
