import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOGUE, CATALOGUE_VERSION } from '../../../src/mss/conformance/index.ts';
import { renderReportHtml } from '../../../src/mss/conformance/report-html.ts';
import { throwsCode } from '../../_support/assert-code.ts';
import {
  blockingRun,
  conformantRun,
  FAILED,
  incompleteRun,
  longRun,
  otherCatalogueRun,
  UNICODE,
  unicodeRun,
  viaJson,
} from './_report-fixtures.ts';

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The article of case `id` (from its opening tag to its end). */
function article(html: string, id: string): string {
  const start = html.indexOf(`<article class="case`, html.indexOf(`id="case-${id}"`) - 40);
  assert.ok(start >= 0, `article of ${id}`);
  return html.slice(start, html.indexOf('</article>', start));
}

test('a conformant complete run: verdict "Conforme", summary fields, one anchored article and overview row per case', () => {
  const run = conformantRun();
  const html = renderReportHtml(run);
  assert.match(html, /^<!doctype html>\n<html lang="fr">/);
  assert.match(
    html,
    /<div id="verdict" class="verdict tone-conformant" data-verdict="conformant" data-incomplete="false">/,
  );
  assert.match(html, /<p class="verdict-headline">Conforme<\/p>/);
  assert.doesNotMatch(html, /INCOMPLET/);
  assert.doesNotMatch(html, /id="incomplete"/);
  for (const text of [
    'Opérateur Santé Test',
    'mail.operateur.example',
    'port 993, TLS implicite',
    'port 587, STARTTLS',
    'camille.martin@operateur.mssante.fr',
    '810000000001',
    'CN=Camille Martin,OU=810000000001,O=Cabinet Test,C=FR',
    `SHA-256 ${'A3:'.repeat(31)}A3`,
    'run-20261203-0001',
    '2026-12-03 08:00:00 UTC',
    '2026-12-03 08:00:41 UTC (41,25 s)',
    CATALOGUE_VERSION,
  ])
    assert.ok(html.includes(text), `summary shows ${text}`);
  for (const c of CATALOGUE) {
    assert.ok(html.includes(`id="case-${c.id}" data-case="${c.id}"`), `article of ${c.id}`);
    assert.ok(html.includes(`<tr data-case-row="${c.id}">`), `overview row of ${c.id}`);
    const a = article(html, c.id);
    assert.ok(a.includes(esc(c.requirement)), `requirement of ${c.id}`);
    assert.ok(a.includes(esc(c.rationale)), `rationale of ${c.id}`);
  }
  // Counts from summarise (failed, error, passed, not applicable, total): 24 passed + 1 not applicable.
  assert.ok(
    html.includes('<tr><th scope="row">Total</th><td>0</td><td>0</td><td>24</td><td>1</td><td>25</td></tr>'),
  );
});

test('a non-conformant (blocking) run: headline, failures listed first and marked, evidence in monospace, a <script> in a message escaped', () => {
  const html = renderReportHtml(blockingRun());
  assert.match(html, /data-verdict="non-conformant-blocking"/);
  assert.ok(html.includes('<p class="verdict-headline">Non conforme (non-conformités bloquantes)</p>'));
  assert.ok(!/<script/i.test(html), 'no script element at all');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more'));
  assert.ok(html.includes('A07 OK Logged in &lt;b&gt;as camille&lt;/b&gt;'));
  const failedIds = Object.keys(FAILED);
  const lastFailed = Math.max(
    ...failedIds.map((id) => html.indexOf(`<article class="case failed" id="case-${id}"`)),
  );
  const firstPassed = html.indexOf('data-status="passed"');
  assert.ok(failedIds.every((id) => html.includes(`<article class="case failed" id="case-${id}"`)));
  assert.ok(lastFailed > 0 && lastFailed < firstPassed, 'failed cases come before passed ones');
  // Among the failures, blocking before major before minor.
  const order = [
    'both.foreign-issuer-token-refused',
    'imap.tls10-refused',
    'both.rfc7628-failure-exchange',
  ].map((id) => html.indexOf(`id="case-${id}"`));
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
  );
  assert.match(article(html, 'both.other-professional-token-refused'), /data-status="error"/);
  const a = article(html, 'both.foreign-issuer-token-refused');
  assert.match(
    a,
    /<pre class="evidence mono"><span class="ev ev-c"><span class="d">C:<\/span> A07 AUTHENTICATE XOAUTH2 /,
  );
  assert.match(a, /<span class="ev ev-note"><span class="d"># <\/span> expected NO/);
  assert.match(a, /Bloquante/);
});

test('an incomplete run says so prominently, not a conformity statement, and lists the cases not run with their reasons', () => {
  const run = incompleteRun();
  assert.equal(run.verdict.level, 'conformant');
  assert.equal(run.verdict.incomplete, true);
  const html = renderReportHtml(run);
  assert.match(html, /data-verdict="conformant" data-incomplete="true"/);
  assert.ok(html.includes('<p class="verdict-headline">INCOMPLET — pas une déclaration de conformité</p>'));
  assert.ok(html.includes('<div id="incomplete" class="notice" role="alert">'));
  const notice = html.slice(
    html.indexOf('id="incomplete"'),
    html.indexOf('</div>', html.indexOf('id="incomplete"')),
  );
  assert.ok(notice.includes("n'est pas une déclaration de conformité".replace(/'/g, '&#39;')));
  assert.ok(notice.includes('both.smtp-imap-round-trip</code></a> — Bloquante'));
  assert.ok(notice.includes('aucun résultat dans le run'));
  assert.ok(notice.includes('imap.tls10-refused</code></a> — Majeure'));
  assert.ok(notice.includes('prérequis non réussi : both.client-certificate-accepted'));
  assert.match(article(html, 'both.smtp-imap-round-trip'), /data-status="missing"/);
  assert.match(article(html, 'both.smtp-imap-round-trip'), /aucune transcription/);
});

test('self-contained: inline style only, no script, no external resource, a CSP that forbids loading anything', () => {
  for (const run of [conformantRun(), blockingRun(), incompleteRun(), unicodeRun(), longRun(50)]) {
    const html = renderReportHtml(run);
    assert.ok(html.includes(`content="default-src 'none'; style-src 'unsafe-inline'"`));
    for (const bad of [
      /<script/i,
      /<link/i,
      /<img/i,
      /<iframe/i,
      /\bsrc=/i,
      /href="(?!#)/,
      /url\(/i,
      /@import/i,
    ])
      assert.doesNotMatch(html, bad);
  }
});

test('non-WinAnsi text, control characters and bidi overrides: kept in the HTML, controls made visible', () => {
  const html = renderReportHtml(unicodeRun());
  assert.ok(html.includes(`Opérateur ${UNICODE}`));
  assert.ok(html.includes(`${UNICODE} 🙂 Łódź ő`));
  assert.ok(html.includes('tab<span class="ctl">␁</span>ctl'), 'the ^A of the transcript shown as ␁');
  assert.ok(
    html.includes('→ ok?<span class="ctl">[U+202E]</span>'),
    'a right-to-left override cannot reorder the page',
  );
  assert.doesNotMatch(html, /\u202e/);
  assert.match(html, /<title>[^<]*Opérateur Zoë ✓ 𝄞 中文/);
});

test('a run of another catalogue version: ids and statuses only, and the page says the catalogue text is from another version', () => {
  const html = renderReportHtml(otherCatalogueRun());
  assert.ok(html.includes('Ce run a utilisé le catalogue 2025.06-3'));
  assert.ok(html.includes(`2025.06-3 (≠ ${CATALOGUE_VERSION})`));
  assert.ok(html.includes('id="case-imap.legacy-case" data-case="imap.legacy-case"'));
  assert.ok(!html.includes(CATALOGUE[0]!.requirement), 'no requirement text of this catalogue');
  assert.match(html, /data-verdict="non-conformant-major"/);
});

test('reproducible: the same JSON gives the same bytes', () => {
  for (const make of [conformantRun, blockingRun, incompleteRun, unicodeRun, () => longRun(60)]) {
    const a = renderReportHtml(make());
    const b = renderReportHtml(viaJson(make()));
    assert.equal(a, b);
  }
});

test('an invalid run result is refused with ERR_MSS_CONFORMANCE_RESULT_INVALID and its issues', () => {
  const run = blockingRun();
  const wrongVerdict = { ...run, verdict: { ...run.verdict, level: 'conformant' as const } };
  throwsCode(() => renderReportHtml(wrongVerdict), 'ERR_MSS_CONFORMANCE_RESULT_INVALID');
  try {
    renderReportHtml(wrongVerdict);
  } catch (e) {
    assert.deepEqual((e as { details: { issues: string[] } }).details.issues, [
      '/verdict: does not follow from the results',
    ]);
  }
  const leaky = viaJson(run) as unknown as { results: { message: string }[] };
  leaky.results[0]!.message = 'Bearer abcdef.ghijk';
  throwsCode(() => renderReportHtml(leaky as never), 'ERR_MSS_CONFORMANCE_RESULT_INVALID');
  throwsCode(() => renderReportHtml({} as never), 'ERR_MSS_CONFORMANCE_RESULT_INVALID');
});
