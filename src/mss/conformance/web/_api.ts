/**
 * The JSON API, version 1 (mounted at /api/v1):
 * - GET  psc                → the PSC endpoints the operator configures and the test client id
 *   (the client secret is not in the API: it is shown on the home page only)
 * - GET  catalogue          → { version, cases }
 * - POST jobs               → 202 { id, status, links } (application/json body, see JobInput);
 *   400 problem with code ERR_MSS_CONFORMANCE_TARGET_INVALID and field; 413 body over 256 KiB;
 *   415 not JSON; 503 queue full (Retry-After)
 * - GET  jobs               → { jobs: [summary] }, newest first
 * - GET  jobs/{id}          → the job: status, progress, cases, and the run result when finished
 * - GET  jobs/{id}/events   → text/event-stream: `progress` events (ConformanceProgress) and
 *   `status` events ({ status, verdict?, error? }); ends after the final status
 * - DELETE jobs/{id}        → 200 cancelled (was queued), 202 cancelling (running), 409 ended
 * - GET  jobs/{id}/report.json|report.html|report.pdf → the reports (see _reports.ts)
 * Errors are application/problem+json.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { isPasserelleError } from '../../../errors.ts';
import { CATALOGUE, CATALOGUE_VERSION } from '../catalogue.ts';
import { MAX_BODY_BYTES, problem } from './_http.ts';
import { inputFromJson, jobRequestFrom } from './_input.ts';
import { type JobEvent, TERMINAL } from './_job-record.ts';
import type { Job, JobQueue } from './_jobs.ts';
import { reportRoutes } from './_reports.ts';

export interface PscInfo {
  readonly issuer: string;
  readonly introspection: string;
  readonly jwks: string;
  readonly discovery: string;
  readonly introspectionClient: { readonly clientId: string; readonly clientSecret: string };
}

export interface ApiContext {
  readonly jobs: JobQueue;
  readonly psc: PscInfo;
  readonly defaultCa: string | undefined;
  /** Streams to end when the application closes. */
  readonly streams: Set<() => void>;
}

export function jobLinks(id: string, finished: boolean): Record<string, string> {
  const api = `/api/v1/jobs/${id}`;
  return {
    self: api,
    events: `${api}/events`,
    page: `/jobs/${id}`,
    ...(finished
      ? { reportJson: `${api}/report.json`, reportHtml: `${api}/report.html`, reportPdf: `${api}/report.pdf` }
      : {}),
  };
}

function summary(job: Job) {
  return { ...job.record, links: jobLinks(job.record.id, job.result !== undefined) };
}

export const notFound = (c: Context) => problem(c, 404, 'Not Found', 'No such job.');

/** The job of `:id`, or undefined. */
export function jobOf(c: Context, jobs: JobQueue): Job | undefined {
  return jobs.get(c.req.param('id') ?? '');
}

export function apiRoutes(ctx: ApiContext): Hono {
  const { jobs } = ctx;
  const api = new Hono();

  api.get('/psc', (c) =>
    c.json({
      issuer: ctx.psc.issuer,
      introspection: ctx.psc.introspection,
      jwks: ctx.psc.jwks,
      discovery: ctx.psc.discovery,
      introspectionClient: { clientId: ctx.psc.introspectionClient.clientId },
    }),
  );

  api.get('/catalogue', (c) => c.json({ version: CATALOGUE_VERSION, cases: CATALOGUE }));

  api.post(
    '/jobs',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        problem(c, 413, 'Content Too Large', `The body is over ${MAX_BODY_BYTES / 1024} KiB.`, {
          code: 'ERR_USAGE',
        }),
    }),
    async (c) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
        return problem(c, 415, 'Unsupported Media Type', 'Send the job as application/json.', {
          code: 'ERR_USAGE',
        });
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return problem(c, 400, 'Bad Request', 'The body is not JSON.', {
          code: 'ERR_MSS_CONFORMANCE_TARGET_INVALID',
          field: 'body',
        });
      }
      let job: Job | undefined;
      try {
        job = jobs.submit(jobRequestFrom(inputFromJson(body), ctx.defaultCa));
      } catch (e) {
        if (!isPasserelleError(e)) throw e;
        return problem(c, 400, 'Bad Request', e.message, { code: e.code, field: String(e.details['field']) });
      }
      if (job === undefined)
        return problem(
          c,
          503,
          'Service Unavailable',
          'The job queue is full: try again when a job has ended.',
          {},
          {
            'retry-after': '60',
          },
        );
      const { id, status } = job.record;
      c.header('location', `/api/v1/jobs/${id}`);
      return c.json({ id, status, links: jobLinks(id, false) }, 202);
    },
  );

  api.get('/jobs', (c) => c.json({ jobs: jobs.list().map(summary) }));

  api.get('/jobs/:id', (c) => {
    const job = jobOf(c, jobs);
    if (job === undefined) return notFound(c);
    return c.json({
      ...summary(job),
      cases: [...job.cases.values()],
      ...(job.result ? { result: job.result } : {}),
    });
  });

  api.delete('/jobs/:id', (c) => {
    const outcome = jobs.cancel(c.req.param('id'));
    if (outcome === undefined) return notFound(c);
    if (outcome === 'terminal') return problem(c, 409, 'Conflict', 'The job has already ended.');
    const job = jobs.get(c.req.param('id'))!;
    return c.json({ id: job.record.id, status: job.record.status }, outcome === 'cancelled' ? 200 : 202);
  });

  api.get('/jobs/:id/events', (c) => {
    const job = jobOf(c, jobs);
    if (job === undefined) return notFound(c);
    const last = Number.parseInt(c.req.header('last-event-id') ?? '0', 10);
    return streamSSE(c, (stream) => streamJob(ctx, job, Number.isSafeInteger(last) ? last : 0, stream));
  });

  reportRoutes(api, jobs);
  return api;
}

type SseStream = Parameters<Parameters<typeof streamSSE>[1]>[0];
const HEARTBEAT_MS = 15_000;

/** Replays the job's events after `last`, then sends new ones until the final status. */
async function streamJob(ctx: ApiContext, job: Job, last: number, stream: SseStream): Promise<void> {
  const queue: JobEvent[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const end = () => {
    ended = true;
    wake?.();
  };
  const terminalAtStart = TERMINAL.has(job.record.status);
  const unsubscribe = ctx.jobs.subscribe(job, last, (e) => {
    queue.push(e);
    wake?.();
  });
  ctx.streams.add(end);
  stream.onAbort(end);
  // A comment line now and then keeps proxies and idle timers from closing a quiet stream.
  const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n').catch(end), HEARTBEAT_MS);
  heartbeat.unref();
  try {
    if (terminalAtStart && job.events.length === 0 && last === 0) {
      // Restored after a restart: only the final status is known.
      const { status, verdict, error } = job.record;
      queue.push({
        seq: 1,
        type: 'status',
        data: { status, ...(verdict ? { verdict } : {}), ...(error ? { error } : {}) },
      });
    }
    while (!ended) {
      while (queue.length > 0 && !stream.aborted) {
        const e = queue.shift()!;
        await stream.writeSSE({ event: e.type, id: String(e.seq), data: JSON.stringify(e.data) });
        if (e.type === 'status' && TERMINAL.has(e.data.status)) ended = true;
      }
      if (terminalAtStart || stream.aborted) break;
      if (!ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } catch {
    // The client went away mid-write: nothing to do.
  } finally {
    clearInterval(heartbeat);
    unsubscribe();
    ctx.streams.delete(end);
  }
}
