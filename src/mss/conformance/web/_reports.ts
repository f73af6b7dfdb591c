/**
 * Report downloads of a finished job: the run result as JSON (the record), and the HTML and
 * PDF reports rendered from it. JSON and PDF are attachments; the HTML report opens in the
 * browser under a CSP that runs no script.
 */
import type { Context, Hono } from 'hono';
import { renderReportHtml } from '../report-html.ts';
import { renderReportPdf } from '../report-pdf.ts';
import type { RunResult } from '../report-schema.ts';
import { problem } from './_http.ts';
import type { JobQueue } from './_jobs.ts';

const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `mss-conformance-<operator>-<date>-<id8>.<ext>`: ASCII only, safe in Content-Disposition. */
export function reportFileName(run: RunResult, ext: string): string {
  const operator =
    run.operator.name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 40) || 'operator';
  return `mss-conformance-${operator}-${run.startedAt.slice(0, 10)}-${run.runId.slice(0, 8)}.${ext}`;
}

function resultOf(c: Context, jobs: JobQueue): RunResult | Response {
  const job = jobs.get(c.req.param('id') ?? '');
  if (job === undefined) return problem(c, 404, 'Not Found', 'No such job.');
  if (job.result === undefined)
    return problem(c, 409, 'Conflict', `The job is ${job.record.status}: it has no run result to report.`);
  return job.result;
}

export function reportRoutes(api: Hono, jobs: JobQueue): void {
  api.get('/jobs/:id/report.json', (c) => {
    const run = resultOf(c, jobs);
    if (run instanceof Response) return run;
    return c.body(`${JSON.stringify(run, null, 2)}\n`, 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${reportFileName(run, 'json')}"`,
    });
  });
  api.get('/jobs/:id/report.html', (c) => {
    const run = resultOf(c, jobs);
    if (run instanceof Response) return run;
    return c.body(renderReportHtml(run), 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': REPORT_CSP,
      'content-disposition': `inline; filename="${reportFileName(run, 'html')}"`,
    });
  });
  api.get('/jobs/:id/report.pdf', async (c) => {
    const run = resultOf(c, jobs);
    if (run instanceof Response) return run;
    const pdf = await renderReportPdf(run);
    return c.body(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${reportFileName(run, 'pdf')}"`,
    });
  });
}
