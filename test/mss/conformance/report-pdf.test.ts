import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { CATALOGUE_VERSION, type RunResult } from '../../../src/mss/conformance/index.ts';
import { renderReportPdf } from '../../../src/mss/conformance/report-pdf.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import {
  blockingRun,
  conformantRun,
  FAILED,
  incompleteRun,
  longRun,
  otherCatalogueRun,
  unicodeRun,
  viaJson,
} from './_report-fixtures.ts';

/** Debian's poppler-utils reads the PDF: text (raw order, white space collapsed) and page count. */
function poppler(pdf: Uint8Array, dir: string, name: string) {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  const text = (args: string[]): string => {
    const r = runPeer('pdftotext', [...args, '-enc', 'UTF-8', path, '-']);
    assert.equal(r.status, 0, `pdftotext failed: ${r.stderr}`);
    return r.stdout;
  };
  const info = runPeer('pdfinfo', [path]);
  assert.equal(info.status, 0, `pdfinfo failed: ${info.stderr}`);
  const field = (key: string): string => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(info.stdout)?.[1] ?? '';
  return {
    path,
    raw: text(['-raw']).replace(/\s+/g, ' '),
    page1: text(['-layout', '-f', '1', '-l', '1']),
    pages: Number(field('Pages')),
    info: field,
  };
}

/** Renders page 1 with `pdftoppm -png -r 60` into `dir`, checks the PNG and prints its path. */
function renderPage1(
  t: TestContext,
  path: string,
  dir: string,
  name: string,
): { width: number; height: number } {
  const out = join(dir, `${name}-page1`);
  const r = runPeer('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', path, out]);
  assert.equal(r.status, 0, `pdftoppm failed: ${r.stderr}`);
  assert.equal(r.stderr, '', 'pdftoppm reports no error or warning');
  const png = readFileSync(`${out}.png`);
  assert.deepEqual(
    [...png.subarray(0, 8)],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'a PNG signature',
  );
  t.diagnostic(`page 1 rendered: ${out}.png`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('non-conformant (blocking) run: pdftotext reads the verdict, operator, catalogue version, every failed case id; page 1 renders in A4 portrait', async (t) => {
  if (!requirePeer(t, 'poppler')) return;
  const dir = tempDir(t, 'passerelle-report-pdf-');
  const pdf = await renderReportPdf(blockingRun());
  const p = poppler(pdf, dir, 'blocking');
  assert.match(p.page1, /Non conforme \(non-conformités bloquantes\)/);
  assert.match(p.page1, /Opérateur Santé Test/);
  assert.match(p.page1, /mail\.operateur\.example/);
  assert.match(p.page1, /port 993, TLS implicite/);
  assert.match(p.page1, /810000000001/);
  assert.match(p.page1, /run-20261203-0001/);
  assert.ok(p.page1.includes(CATALOGUE_VERSION));
  for (const id of Object.keys(FAILED)) {
    assert.ok(p.page1.includes(id), `page 1 lists the failure ${id}`);
    assert.ok(
      p.raw.includes(`${id} ${id.startsWith('both.other') ? 'ERREUR' : 'ÉCHEC'}`),
      `detail band of ${id}`,
    );
  }
  assert.ok(p.raw.includes('token of another issuer accepted: <script>alert("x")</script> & more'));
  assert.ok(p.raw.includes('A07 OK Logged in <b>as camille</b>'));
  assert.ok(p.raw.includes(`page 1 / ${p.pages}`) && p.raw.includes(`page ${p.pages} / ${p.pages}`));
  assert.ok(p.raw.includes(`run run-20261203-0001 — catalogue ${CATALOGUE_VERSION}`), 'footer');
  // The failures first: the first detail band is a failed case, blocking.
  const details = p.raw.slice(p.raw.indexOf('Détail des cas'));
  assert.ok(details.indexOf('both.foreign-issuer-token-refused ÉCHEC') < details.indexOf('RÉUSSI'));
  assert.equal(p.info('Creator'), 'Passerelle');
  assert.equal(p.info('Producer'), 'Passerelle (pdf-lib)');
  assert.match(p.info('CreationDate'), /Dec\s+3 08:00:41 2026/);
  const size = renderPage1(t, p.path, dir, 'blocking');
  assert.ok(size.height > size.width, 'portrait');
  assert.ok(Math.abs(size.width - (595.28 / 72) * 60) < 2, `A4 width at 60 dpi (${size.width} px)`);
});

test('conformant and incomplete runs: page 1 says "Conforme", or INCOMPLET with the cases not run and why', async (t) => {
  if (!requirePeer(t, 'poppler')) return;
  const dir = tempDir(t, 'passerelle-report-pdf-');
  const ok = poppler(await renderReportPdf(conformantRun()), dir, 'conformant');
  assert.match(ok.page1, /^\s*Conforme\s*$/m);
  assert.doesNotMatch(ok.raw, /INCOMPLET/);
  renderPage1(t, ok.path, dir, 'conformant');
  const inc = poppler(await renderReportPdf(incompleteRun()), dir, 'incomplete');
  assert.match(inc.page1, /INCOMPLET — pas une déclaration de conformité/);
  assert.match(inc.page1, /Exécution INCOMPLÈTE/);
  assert.doesNotMatch(inc.page1, /^\s*Conforme\s*$/m);
  const page1 = inc.page1.replace(/\s+/g, ' ');
  assert.ok(page1.includes('both.smtp-imap-round-trip — Bloquante — aucun résultat dans le run'));
  assert.ok(page1.includes('imap.tls10-refused — Majeure — non sélectionné ou ignoré'));
  assert.ok(
    page1.includes(
      'both.untrusted-client-certificate-refused — Bloquante — prérequis non réussi : both.client-certificate-accepted',
    ),
  );
  renderPage1(t, inc.path, dir, 'incomplete');
});

test('text outside WinAnsi (Zoë ✓ 𝄞 中文, emoji, controls, bidi) never crashes: transliterated or "?", accents kept', async (t) => {
  const pdf = await renderReportPdf(unicodeRun());
  assert.ok(pdf.length > 1000);
  if (!requirePeer(t, 'poppler')) return;
  const dir = tempDir(t, 'passerelle-report-pdf-');
  const p = poppler(pdf, dir, 'unicode');
  assert.ok(p.page1.includes('Opérateur Zoë ? ? ??'));
  assert.ok(p.raw.includes('Zoë ? ? ?? — refused ‘A01 NO’ -> ok??'));
  assert.ok(p.raw.includes('A01 LOGIN "Zoë ? ? ??" tab^Actl'));
  assert.ok(p.raw.includes('Zoë ? ? ?? ? Lódz o'));
  renderPage1(t, p.path, dir, 'unicode');
});

test('a long transcript breaks across pages: every line is there, in order, and the pages are numbered', async (t) => {
  const run = longRun(400);
  const pdf = await renderReportPdf(run);
  if (!requirePeer(t, 'poppler')) return;
  const dir = tempDir(t, 'passerelle-report-pdf-');
  const p = poppler(pdf, dir, 'long');
  assert.ok(p.pages > 3, `several pages (${p.pages})`);
  let at = 0;
  for (let i = 1; i < 400; i += 1) {
    if (i % 25 === 0) continue;
    const next = p.raw.indexOf(`* ${i} FETCH (FLAGS (\\Seen) UID ${1000 + i})`, at);
    assert.ok(next > at, `line ${i} after line ${i - 1}`);
    at = next;
  }
  for (let n = 1; n <= p.pages; n += 1) assert.ok(p.raw.includes(`page ${n} / ${p.pages}`));
  // The long base64 lines are cut at the margin, not lost: the characters are all there.
  const b64 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo'.repeat(12);
  assert.ok(p.raw.replace(/ /g, '').includes(b64));
  renderPage1(t, p.path, dir, 'long');
});

test('another catalogue version: ids and statuses only, with the notice', async (t) => {
  const pdf = await renderReportPdf(otherCatalogueRun());
  if (!requirePeer(t, 'poppler')) return;
  const p = poppler(pdf, tempDir(t, 'passerelle-report-pdf-'), 'other');
  assert.ok(p.raw.includes('Ce run a utilisé le catalogue 2025.06-3'));
  assert.ok(p.raw.includes('imap.legacy-case ÉCHEC'));
  assert.ok(!p.raw.includes('The IMAP server completes a TLS 1.2 handshake'));
});

test('reproducible: the same JSON gives byte-identical PDFs, dated from finishedAt', async () => {
  for (const make of [blockingRun, incompleteRun, unicodeRun, () => longRun(120)]) {
    const a = await renderReportPdf(make());
    const b = await renderReportPdf(viaJson(make()));
    assert.deepEqual(Buffer.from(a), Buffer.from(b));
    const text = Buffer.from(a).toString('latin1');
    assert.match(text, /\/CreationDate \(D:20261203080041Z\)/);
    assert.match(text, /\/ModDate \(D:20261203080041Z\)/);
    assert.doesNotMatch(text, /\/ID \[/);
  }
  const later = await renderReportPdf({ ...blockingRun(), finishedAt: '2026-12-03T09:00:00.000Z' });
  assert.match(Buffer.from(later).toString('latin1'), /\/CreationDate \(D:20261203090000Z\)/);
});

test('an invalid run result is refused with ERR_MSS_CONFORMANCE_RESULT_INVALID', async () => {
  const run = blockingRun();
  const e = await rejectsCode(
    renderReportPdf({ ...run, verdict: { ...run.verdict, failures: [] } }),
    'ERR_MSS_CONFORMANCE_RESULT_INVALID',
  );
  assert.deepEqual(e.details['issues'], ['/verdict: does not follow from the results']);
  await rejectsCode(
    renderReportPdf({ ...run, runId: 'run id with spaces' } as RunResult),
    'ERR_MSS_CONFORMANCE_RESULT_INVALID',
  );
  await rejectsCode(renderReportPdf(null as unknown as RunResult), 'ERR_MSS_CONFORMANCE_RESULT_INVALID');
});
