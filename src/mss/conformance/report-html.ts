/**
 * The conformity report of a conformance run as one self-contained HTML page: inline style, no
 * script, no external resource (a Content-Security-Policy of `default-src 'none'` says so to the
 * browser), every value escaped. French first, English in smaller type. The page is a function
 * of the run result only, so the same JSON gives the same bytes.
 *
 * For browser tests: the verdict block is `#verdict` (`data-verdict`, `data-incomplete`), each
 * case detail is `article#case-<id>[data-case="<id>"][data-status]`, each overview row is
 * `tr[data-case-row="<id>"]`, the incomplete notice `#incomplete`.
 */

import { REPORT_CSS } from './_report-html-style.ts';
import {
  type Bilingual,
  DIR_PREFIX,
  durationText,
  FIELD,
  INCOMPLETE_NOTICE,
  notRunReason,
  SCALE,
  SEVERITY_LABEL,
  STATUS_LABEL,
  TITLE,
} from './_report-labels.ts';
import { buildReportModel, type ReportCase, type ReportModel, shownStatuses } from './_report-model.ts';
import type { RunResult } from './report-schema.ts';
import { SEVERITIES } from './verdict.ts';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `text` escaped for HTML text and attribute values. Control characters are shown as their
 * Unicode control pictures (␁ for ^A) and bidirectional overrides as [U+202E], so a transcript
 * cannot hide or reorder what the server sent.
 */
function escapeHtml(text: string, markup: boolean): string {
  const mark = (s: string): string => (markup ? `<span class="ctl">${s}</span>` : s);
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replace(/(?![\n\t])\p{Cc}/gu, (c) => {
      const cp = c.codePointAt(0)!;
      if (cp < 0x20) return mark(String.fromCodePoint(0x2400 + cp));
      return mark(cp === 0x7f ? '\u2421' : `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]`);
    })
    .replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, (c) =>
      mark(`[U+${c.codePointAt(0)!.toString(16).toUpperCase()}]`),
    );
}

/** Escaped text content. */
const h = (text: string): string => escapeHtml(text, true);
/** Escaped where no markup may go (title, attribute values). */
const plain = (text: string): string => escapeHtml(text, false);
/** French, then English in smaller type (omitted when the same). */
const bi = (b: Bilingual, tag = 'span'): string =>
  b.fr === b.en ? h(b.fr) : `${h(b.fr)} <${tag} class="en" lang="en">${h(b.en)}</${tag}>`;
const caseHref = (id: string): string => `#case-${plain(id)}`;

function badge(c: ReportCase): string {
  const label = STATUS_LABEL[c.status];
  return `<span class="badge st-${c.status}">${h(label.fr)} <span lang="en">(${h(label.en)})</span></span>`;
}

function severityText(c: ReportCase): string {
  return c.severity ? bi(SEVERITY_LABEL[c.severity]) : '—';
}

function verdictBlock(m: ReportModel): string {
  const v = m.run.verdict;
  return [
    `<div id="verdict" class="verdict tone-${m.tone}" data-verdict="${v.level}" data-incomplete="${v.incomplete}">`,
    `<p class="verdict-label">${bi(FIELD.verdict)}</p>`,
    `<p class="verdict-headline">${h(m.headline.fr)}</p>`,
    `<p class="en" lang="en">${h(m.headline.en)}</p>`,
    m.subline ? `<p class="verdict-sub">${bi(m.subline)}</p>` : '',
    `<p class="scale">${h(SCALE.fr)}<br><span class="en" lang="en">${h(SCALE.en)}</span></p>`,
    '</div>',
  ].join('\n');
}

function notRunList(m: ReportModel): string {
  const items = m.notRun.map((n) => {
    const reason = notRunReason(n.reason, n.blockedBy);
    return `<li><a href="${caseHref(n.caseId)}"><code>${h(n.caseId)}</code></a> — ${bi(SEVERITY_LABEL[n.severity])} — ${bi(reason)}</li>`;
  });
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

function incompleteNotice(m: ReportModel): string {
  if (!m.run.verdict.incomplete) return '';
  return [
    '<div id="incomplete" class="notice" role="alert">',
    `<p><strong>${h(INCOMPLETE_NOTICE.fr)}</strong></p>`,
    `<p class="en" lang="en">${h(INCOMPLETE_NOTICE.en)}</p>`,
    `<p>${bi(FIELD.notRun)} :</p>`,
    notRunList(m),
    '</div>',
  ].join('\n');
}

function fieldsTable(m: ReportModel): string {
  const rows = m.fields.map(
    (f) => `<tr><th scope="row">${bi(f.label)}</th><td class="value">${h(f.value)}</td></tr>`,
  );
  return `<table class="fields">\n${rows.join('\n')}\n</table>`;
}

function countsTable(m: ReportModel): string {
  const statuses = shownStatuses(m.total);
  const head = statuses.map((s) => `<th class="num">${bi(STATUS_LABEL[s])}</th>`).join('');
  const row = (label: string, counts: Readonly<Record<string, number>>): string => {
    const cells = statuses.map((s) => `<td>${counts[s] ?? 0}</td>`).join('');
    const n = Object.values(counts).reduce((a, b) => a + b, 0);
    return `<tr><th scope="row">${label}</th>${cells}<td>${n}</td></tr>`;
  };
  const rows = m.bySeverity ? SEVERITIES.map((s) => row(bi(SEVERITY_LABEL[s]), m.bySeverity![s])) : [];
  rows.push(row(bi(FIELD.total), m.total));
  return [
    '<table class="counts">',
    `<thead><tr><th>${bi(FIELD.severity)}</th>${head}<th class="num">${bi(FIELD.total)}</th></tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function failuresList(m: ReportModel): string {
  const failures = m.failures;
  if (failures.length === 0) return `<p>${bi(FIELD.none)}</p>`;
  const items = failures.map(
    (f) =>
      `<li><a href="${caseHref(f.caseId)}"><code>${h(f.caseId)}</code></a> — ${bi(SEVERITY_LABEL[f.severity])} — ${bi(STATUS_LABEL[f.status])}</li>`,
  );
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

function overviewTable(m: ReportModel): string {
  const rows = m.cases.map(
    (c) =>
      `<tr data-case-row="${plain(c.id)}"${c.failed ? ' class="failed"' : ''}><td><a href="${caseHref(c.id)}"><code>${h(c.id)}</code></a></td><td>${severityText(c)}</td><td>${badge(c)}</td><td>${h(c.result?.message ?? '')}</td></tr>`,
  );
  return [
    '<table class="overview">',
    `<thead><tr><th>Cas <span class="en" lang="en">Case</span></th><th>${bi(FIELD.severity)}</th><th>${bi(FIELD.status)}</th><th>${bi(FIELD.message)}</th></tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function evidence(c: ReportCase): string {
  const lines = c.result?.evidence ?? [];
  if (lines.length === 0) return `<p><em>${bi(FIELD.noEvidence)}</em></p>`;
  const body = lines.map((l) => {
    const text = l.text.replace(/\r\n?/g, '\n').replace(/\n/g, '\n   ');
    return `<span class="ev ev-${l.dir}"><span class="d">${h(DIR_PREFIX[l.dir].padEnd(2))}</span> ${h(text)}</span>`;
  });
  return `<pre class="evidence mono">${body.join('\n')}</pre>`;
}

function caseArticle(m: ReportModel, c: ReportCase): string {
  const d = c.definition;
  const dl: string[] = [];
  const item = (label: Bilingual, value: string): void => {
    dl.push(`<dt>${bi(label)}</dt><dd>${value}</dd>`);
  };
  if (d) {
    item(FIELD.requirement, `<span lang="en">${h(d.requirement)}</span>`);
    item(FIELD.severity, `<strong>${severityText(c)}</strong><br><span lang="en">${h(d.rationale)}</span>`);
  } else {
    item(FIELD.severity, severityText(c));
    if (m.sameCatalogue) item(FIELD.requirement, bi(FIELD.unknownCase));
  }
  item(FIELD.status, badge(c));
  if (c.notRun) item(FIELD.whyNotRun, bi(notRunReason(c.notRun.reason, c.notRun.blockedBy)));
  if (c.result) {
    item(FIELD.message, h(c.result.message));
    item(FIELD.duration, h(durationText(c.result.durationMs)));
  }
  const classes = `case${c.failed ? ' failed' : ''}`;
  return [
    `<article class="${classes}" id="case-${plain(c.id)}" data-case="${plain(c.id)}" data-status="${c.status}"${c.severity ? ` data-severity="${c.severity}"` : ''}>`,
    `<h3><code>${h(c.id)}</code> ${badge(c)}</h3>`,
    `<dl>\n${dl.join('\n')}\n</dl>`,
    `<h4>${bi(FIELD.evidence)}</h4>`,
    c.result ? evidence(c) : `<p><em>${bi(FIELD.noEvidence)}</em></p>`,
    '</article>',
  ].join('\n');
}

/** The HTML report of `run`; throws ERR_MSS_CONFORMANCE_RESULT_INVALID when `run` is not valid. */
export function renderReportHtml(run: RunResult): string {
  const m = buildReportModel(run);
  const title = `${TITLE.fr} — ${run.operator.name} — ${run.runId}`;
  const catalogueNotice = m.catalogueNotice
    ? `<div id="catalogue-version" class="notice"><p><strong>${h(m.catalogueNotice.fr)}</strong></p><p class="en" lang="en">${h(m.catalogueNotice.en)}</p></div>`
    : '';
  return `${[
    '<!doctype html>',
    '<html lang="fr">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Passerelle">',
    `<title>${plain(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${h(TITLE.fr)}</h1><div class="en" lang="en">${h(TITLE.en)}</div></header>`,
    '<main>',
    '<section id="summary">',
    `<h2>Synthèse <span class="en" lang="en">Summary</span></h2>`,
    verdictBlock(m),
    incompleteNotice(m),
    catalogueNotice,
    fieldsTable(m),
    `<h3>${bi(FIELD.counts)}</h3>`,
    countsTable(m),
    `<h3>${bi(FIELD.failures)}</h3>`,
    failuresList(m),
    `<h3>Cas <span class="en" lang="en">Cases</span></h3>`,
    overviewTable(m),
    '</section>',
    '<section id="cases">',
    `<h2>${bi(FIELD.cases)}</h2>`,
    ...m.cases.map((c) => caseArticle(m, c)),
    '</section>',
    '</main>',
    `<footer>${h(`${run.runId} — catalogue ${run.catalogueVersion}`)} — rendu depuis run.json <span class="en" lang="en">rendered from run.json</span></footer>`,
    '</body>',
    '</html>',
  ]
    .filter((s) => s !== '')
    .join('\n')}\n`;
}
