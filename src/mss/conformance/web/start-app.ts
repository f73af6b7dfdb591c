/**
 * The MSSanté operators' test-and-control web application (issue 14, item 4), on Hono served by
 * @hono/node-server: the pages (form, job list, live job page, result with report downloads,
 * the PSC endpoints to configure) and the versioned JSON API behind them (/api/v1, see _api.ts).
 * Jobs run one at a time through `runJob` (the conformance runner), in a bounded FIFO queue;
 * finished jobs are kept under `<stateDir>/jobs/`.
 *
 * Security: plain HTTP meant for loopback (or a trusted network); requests with a Host the
 * application does not answer to are refused (DNS rebinding), POST and DELETE from another
 * origin are refused (a web page elsewhere cannot launch jobs), bodies are limited to 256 KiB,
 * every page has a CSP without 'unsafe-inline'. The introspection client secret is shown on the
 * home page only (the operator configures it in its servers): never in the API, never logged.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { PasserelleError } from '../../../errors.ts';
import { type Logger, silentLogger } from '../../../log.ts';
import { type ApiContext, apiRoutes, type PscInfo } from './_api.ts';
import { allowedHosts, originGuard, problem, securityHeaders } from './_http.ts';
import { JobQueue, type RunJob } from './_jobs.ts';
import { pageRoutes } from './_pages.ts';

export interface ConformanceAppOptions {
  /** Address to listen on; loopback unless the operators reach it over a network. */
  readonly host: string;
  /** 0: an ephemeral port. */
  readonly port: number;
  /** Jobs are kept under `<stateDir>/jobs/<id>/` (job.json, run.json). */
  readonly stateDir: string;
  /** Runs one job; rejects with a PasserelleError when the run itself fails. */
  readonly runJob: RunJob;
  /** The PSC service the operators' servers validate tokens against. */
  readonly psc: PscInfo;
  /** CA (PEM) prefilled in the form and used when a job names none. */
  readonly defaultCa?: string;
  /** Jobs waiting behind the running one; default 20. */
  readonly maxQueued?: number;
  readonly clock?: () => Date;
  readonly log?: Logger;
}

export interface ConformanceApp {
  /** `http://host:port` (no trailing slash). */
  readonly url: string;
  /** Stops taking requests, aborts the running job and waits for it, ends open event streams. */
  close(): Promise<void>;
}

export async function startConformanceApp(options: ConformanceAppOptions): Promise<ConformanceApp> {
  const {
    host,
    port,
    stateDir,
    runJob,
    psc,
    defaultCa,
    maxQueued = 20,
    clock = () => new Date(),
    log = silentLogger,
  } = options;
  if (!Number.isInteger(maxQueued) || maxQueued < 0)
    throw new TypeError('maxQueued must be a non-negative integer');
  const jobs = new JobQueue({ stateDir, runJob, maxQueued, clock, log });
  const ctx: ApiContext = { jobs, psc, defaultCa, streams: new Set() };
  let hosts: ReadonlySet<string> | undefined = new Set();

  const app = new Hono();
  app.use(
    '*',
    securityHeaders,
    originGuard(() => hosts),
  );
  app.route('/api/v1', apiRoutes(ctx));
  app.route('/', pageRoutes(ctx));
  app.notFound((c) =>
    problem(c, 404, 'Not Found', `Nothing at ${new URL(c.req.url).pathname.slice(0, 200)}.`),
  );
  app.onError((e, c) => {
    log.error(
      { error: e.name, message: e.message.slice(0, 200), path: new URL(c.req.url).pathname },
      'request failed',
    );
    return problem(c, 500, 'Internal Server Error', 'The request failed; see the application log.', {
      code: 'ERR_INTERNAL',
    });
  });

  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    await jobs.close();
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new PasserelleError(
      'ERR_SANDBOX_START',
      `The conformance application cannot listen on ${host}:${port} (${code})`,
      {
        hint:
          code === 'EADDRINUSE'
            ? 'The port is taken: choose another one, or 0 for an ephemeral port.'
            : undefined,
        details: { host, port, reason: code },
        cause,
      },
    );
  }
  const bound = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, bound);
  const shownHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${bound}`;
  log.info(
    { url, stateDir, psc: { issuer: psc.issuer, introspection: psc.introspection } },
    'conformance application started',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const end of ctx.streams) end();
        await jobs.close();
        for (const end of ctx.streams) end();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
