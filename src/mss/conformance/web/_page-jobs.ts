/**
 * The job list and the job page. A queued or running job's page follows the job live with a
 * small script (EventSource on the job's event stream: case rows change status as events
 * arrive, then the page reloads on the final status); a finished job's page has no script:
 * verdict, cases and report links are rendered by the server.
 */
import { CATALOGUE, CATALOGUE_VERSION } from '../catalogue.ts';
import { html, layout, type Markup, SEVERITY_LABELS, STATUS_LABELS, VERDICT_LABELS } from './_html.ts';
import { TERMINAL, targetUrl } from './_job-record.ts';
import type { Job } from './_jobs.ts';

const SEVERITY = new Map(CATALOGUE.map((c) => [c.id, c.severity]));

const status = (s: string, id?: string) =>
  html`<span class="st st-${s}"${id ? html` id="${id}"` : ''}>${STATUS_LABELS[s] ?? s}</span>`;

const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');

function verdictCell(job: Job): Markup | string {
  const v = job.record.verdict;
  if (v === undefined) return job.record.error ? html`<code>${job.record.error.code}</code>` : '—';
  return html`<span class="vt vt-${v.level}">${VERDICT_LABELS[v.level]}</span>${
    v.incomplete ? ' (incomplet)' : ''
  }`;
}

export function jobListPage(jobs: readonly Job[]): string {
  const rows = jobs.map(
    (
      j,
    ) => html`<tr data-id="${j.record.id}"><td class="nw"><a href="/jobs/${j.record.id}"><code>${j.record.id.slice(0, 8)}</code></a></td>
<td>${j.record.operatorName}</td><td class="nw"><code>${targetUrl(j.record.target, 'imap')}</code><br><code>${targetUrl(j.record.target, 'smtp')}</code></td>
<td>${status(j.record.status)}</td><td>${verdictCell(j)}</td><td>${when(j.record.createdAt)}</td></tr>`,
  );
  const body = html`<h1>Jobs</h1><section>${
    jobs.length === 0
      ? html`<p>Aucun job pour l’instant. <a href="/">Lancer un test</a>.</p>`
      : html`<table id="jobs"><thead><tr><th>Job</th><th>Opérateur</th><th>Cible</th><th>Statut</th><th>Verdict</th><th>Créé</th></tr></thead><tbody>${rows}</tbody></table>`
  }</section>`;
  return layout('Jobs', body);
}

/** The live script of a job page; constant, so the CSP allows it by hash. */
export const JOB_SCRIPT = `'use strict';
const root = document.getElementById('job');
const labels = JSON.parse(root.dataset.labels);
const bar = document.getElementById('bar');
const count = document.getElementById('count');
const setStatus = (el, st) => { if (el) { el.textContent = labels[st] || st; el.className = 'st st-' + st; } };
const es = new EventSource(root.dataset.events);
es.addEventListener('progress', (m) => {
  const e = JSON.parse(m.data);
  if (e.type === 'run-started') { bar.max = e.total; count.textContent = '0 / ' + e.total; return; }
  if (e.type !== 'case-started' && e.type !== 'case-finished') return;
  const tr = document.querySelector('tr[data-case="' + CSS.escape(e.caseId) + '"]');
  if (tr) {
    setStatus(tr.querySelector('.st'), e.type === 'case-started' ? 'running' : e.status);
    if (e.type === 'case-finished') tr.querySelector('.msg').textContent = e.message;
  }
  bar.max = e.total; bar.value = e.done; count.textContent = e.done + ' / ' + e.total;
});
es.addEventListener('status', (m) => {
  const s = JSON.parse(m.data);
  setStatus(document.getElementById('status'), s.status);
  if (s.status === 'finished' || s.status === 'failed' || s.status === 'cancelled') { es.close(); location.reload(); }
});`;

function facts(job: Job): Markup {
  const r = job.record;
  const t = r.target;
  const rows: [string, unknown][] = [
    ['Opérateur', r.operatorName],
    ['Serveur IMAP', html`<code>${targetUrl(t, 'imap')}</code>`],
    ['Serveur SMTP', html`<code>${targetUrl(t, 'smtp')}</code>`],
    ['Boîte aux lettres', html`<code>${t.mailbox}</code>`],
    ['IdNat', html`<code>${t.idNat}</code>`],
    [
      'Certificat client',
      t.clientCertificate
        ? html`${t.clientCertificate.subject}<br><code>SHA-256 ${t.clientCertificate.sha256}</code>${
            t.clientCertificate.mailbox ? html`<br>boîte <code>${t.clientCertificate.mailbox}</code>` : ''
          }`
        : 'aucun (cas par certificat non exécutés)',
    ],
    ['Statut', status(r.status, 'status')],
    ['Créé', when(r.createdAt)],
    ['Démarré', when(r.startedAt)],
    ['Terminé', when(r.finishedAt)],
    ['Catalogue', job.result?.catalogueVersion ?? CATALOGUE_VERSION],
  ];
  return html`<table class="kv"><tbody>${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</tbody></table>`;
}

function outcome(job: Job): Markup | string {
  const r = job.record;
  const links = job.result
    ? html`<p class="links" id="reports">Rapports : <a href="/api/v1/jobs/${r.id}/report.html">HTML</a><a href="/api/v1/jobs/${r.id}/report.pdf">PDF</a><a href="/api/v1/jobs/${r.id}/report.json">JSON</a></p>`
    : '';
  if (r.verdict)
    return html`<div class="verdict v-${r.verdict.level}" id="verdict">${VERDICT_LABELS[r.verdict.level]}${
      r.verdict.incomplete ? ' (run incomplet)' : ''
    }</div>${
      r.verdict.incomplete
        ? html`<p class="help">Run incomplet : des cas bloquants ou majeurs n’ont pas été exécutés ; « conforme » n’est pas ici une déclaration de conformité.</p>`
        : ''
    }${r.status === 'cancelled' ? html`<p class="help">Job annulé en cours d’exécution.</p>` : ''}${links}`;
  if (r.error)
    return html`<p class="error-box" id="error"><code>${r.error.code}</code> ${r.error.message}</p>`;
  if (r.status === 'cancelled') return html`<p class="help">Job annulé avant la fin.</p>`;
  return html`<p>Cas terminés : <span id="count">${r.progress.done} / ${r.progress.total}</span></p>
<progress id="bar" max="${r.progress.total}" value="${r.progress.done}"></progress>
<form method="post" action="/jobs/${r.id}/cancel"><button type="submit" class="secondary">Annuler le job</button></form>`;
}

export function jobPage(job: Job): { html: string; script?: string } {
  const r = job.record;
  const live = !TERMINAL.has(r.status);
  const rows = [...job.cases.values()].map((c) => {
    const sev = SEVERITY.get(c.caseId) ?? 'informational';
    return html`<tr data-case="${c.caseId}"><td class="nw"><code>${c.caseId}</code></td><td class="nw"><span class="sev sev-${sev}">${SEVERITY_LABELS[sev]}</span></td><td class="nw">${status(c.status)}</td><td class="msg">${c.message}</td></tr>`;
  });
  const body = html`<div id="job" data-id="${r.id}" data-events="/api/v1/jobs/${r.id}/events" data-labels="${JSON.stringify(STATUS_LABELS)}">
<h1>Job <code>${r.id.slice(0, 8)}</code> — ${r.operatorName}</h1>
<section><h2>${live ? 'Progression' : 'Résultat'}</h2>${outcome(job)}</section>
<section><h2>Cible</h2>${facts(job)}</section>
<section><h2>Cas (${r.selection.length})</h2><table id="cases"><thead><tr><th>Cas</th><th>Sévérité</th><th>Statut</th><th>Observation</th></tr></thead><tbody>${rows}</tbody></table></section>
</div>`;
  return live
    ? { html: layout(`Job ${r.id.slice(0, 8)}`, body, JOB_SCRIPT), script: JOB_SCRIPT }
    : { html: layout(`Job ${r.id.slice(0, 8)}`, body) };
}
