/**
 * Test support for the conformance web application: a runJob that emits real ConformanceProgress
 * events and returns a RunResult whose verdict is computed over CATALOGUE (the web layer's own
 * tests; the runner has its own), gates to hold a case, an SSE reader, and a started app.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium } from 'playwright-core';
import { PasserelleError } from '../../../../src/errors.ts';
import { MemoryLogger } from '../../../../src/log.ts';
import { CATALOGUE, CATALOGUE_VERSION } from '../../../../src/mss/conformance/catalogue.ts';
import type { RunResult } from '../../../../src/mss/conformance/report-schema.ts';
import { type CaseResult, type CaseStatus, computeVerdict } from '../../../../src/mss/conformance/verdict.ts';
import {
  type ConformanceApp,
  type ConformanceAppOptions,
  type JobRequest,
  type RunJob,
  startConformanceApp,
} from '../../../../src/mss/conformance/web/index.ts';
import { TEST_NOW } from '../../../_support/credentials.ts';
import { DEBIAN_CHROMIUM } from '../../../_support/peers.ts';

export const PSC = {
  issuer: 'http://127.0.0.1:7443/auth/realms/esante-wallet',
  introspection: 'http://127.0.0.1:7443/auth/realms/esante-wallet/protocol/openid-connect/token/introspect',
  jwks: 'http://127.0.0.1:7443/auth/realms/esante-wallet/protocol/openid-connect/certs',
  discovery: 'http://127.0.0.1:7443/auth/realms/esante-wallet/.well-known/wellknown.json',
  introspectionClient: {
    clientId: 'mss-operator-introspection',
    clientSecret: 'S3cr3t-introspection-abcdef',
  },
} as const;

/** A clock that moves one second at each reading, from TEST_NOW. */
export function steppingClock(): () => Date {
  let n = 0;
  return () => new Date(TEST_NOW + 1000 * n++);
}

/** A promise the test opens. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

export interface FakeRun {
  readonly runJob: RunJob;
  /** Requests in the order runJob was called. */
  readonly calls: JobRequest[];
}

/**
 * runJob playing the selection case by case: `step(caseId)` is awaited after each case-started
 * (hold a case there), `outcome(caseId)` is its status (default passed). An aborted signal ends
 * the run early (even while a step holds) with the cases done so far.
 */
export function fakeRun(
  opts: {
    step?: (caseId: string, req: JobRequest) => Promise<void> | void;
    outcome?: (caseId: string) => CaseStatus;
    clock?: () => Date;
  } = {},
): FakeRun {
  const calls: JobRequest[] = [];
  const clock = opts.clock ?? (() => new Date(TEST_NOW));
  const runJob: RunJob = async (req, { signal, onProgress }) => {
    calls.push(req);
    const selection = req.selection ?? CATALOGUE.map((c) => c.id);
    const total = selection.length;
    const runId = randomUUID();
    const startedAt = clock().toISOString();
    onProgress({ type: 'run-started', runId, total });
    const results: CaseResult[] = [];
    for (const [i, caseId] of selection.entries()) {
      if (signal.aborted) break;
      onProgress({ type: 'case-started', caseId, done: i, total });
      const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      await Promise.race([opts.step?.(caseId, req), aborted]);
      if (signal.aborted) break;
      const status = opts.outcome?.(caseId) ?? 'passed';
      const message = `${caseId}: ${status}`;
      results.push({
        caseId,
        status,
        durationMs: 3,
        evidence: [{ dir: 'note', text: `probe ${caseId}` }],
        message,
      });
      onProgress({ type: 'case-finished', caseId, status, message, done: i + 1, total });
    }
    const t = req.target;
    const result: RunResult = {
      schemaVersion: 1,
      runId,
      operator: { name: req.operatorName },
      target: {
        host: t.host,
        imap: { ...t.imap },
        smtp: { ...t.smtp },
        mailbox: t.mailbox,
        idNat: t.idNat,
      },
      startedAt,
      finishedAt: clock().toISOString(),
      catalogueVersion: CATALOGUE_VERSION,
      selection: [...selection],
      results,
      verdict: computeVerdict(
        CATALOGUE.filter((c) => selection.includes(c.id)),
        results,
      ),
    };
    onProgress({ type: 'run-finished', result });
    return result;
  };
  return { runJob, calls };
}

export const failingRun =
  (error: unknown): RunJob =>
  async () => {
    throw error;
  };

export const runError = (message: string) => new PasserelleError('ERR_MSS_CONFORMANCE_PSC', message);

export interface Started {
  readonly app: ConformanceApp;
  readonly log: MemoryLogger;
  readonly stateDir: string;
  api(path: string, init?: RequestInit): Promise<Response>;
}

export async function start(
  dir: string,
  runJob: RunJob,
  extra: Partial<ConformanceAppOptions> = {},
): Promise<Started> {
  const log = new MemoryLogger();
  const stateDir = join(dir, 'state');
  const app = await startConformanceApp({
    host: '127.0.0.1',
    port: 0,
    stateDir,
    runJob,
    psc: PSC,
    clock: steppingClock(),
    log,
    ...extra,
  });
  return { app, log, stateDir, api: (path, init) => fetch(`${app.url}${path}`, init) };
}

/** POSTs a job as JSON. */
export function postJob(s: Started, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return s.api('/api/v1/jobs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export interface SseEvent {
  readonly event: string;
  readonly id: string;
  readonly data: unknown;
}

/** The JSON body (typed loosely, as JSON.parse does). */
export const json = async (res: Response) => JSON.parse(await res.text());

/** Reads a server-sent event stream to its end. */
export async function readSse(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split(/\n\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const fields: Record<string, string> = {};
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const m = /^([a-z]+): ?(.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'data') data.push(m[2]!);
        else fields[m[1]!] = m[2]!;
      }
      return {
        event: fields['event'] ?? 'message',
        id: fields['id'] ?? '',
        data: JSON.parse(data.join('\n')),
      };
    });
}

/** Waits for the job to end (its event stream ends after the final status), then reads it. */
export async function settled(s: Started, id: string): Promise<Record<string, unknown>> {
  await readSse(await s.api(`/api/v1/jobs/${id}/events`));
  return (await json(await s.api(`/api/v1/jobs/${id}`))) as Record<string, unknown>;
}

/**
 * A page of Debian's Chromium (1280×900, downloads on), closed when the test ends: the page
 * errors and console errors it collects, and `shot(name)` writing a full-page PNG into
 * PASSERELLE_SCREENSHOT_DIR (or `dir`/screenshots) and naming it in the test output.
 */
export async function browserPage(t: TestContext, dir: string) {
  const shots = process.env['PASSERELLE_SCREENSHOT_DIR'] ?? join(dir, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: DEBIAN_CHROMIUM,
    args: ['--no-sandbox'],
    timeout: 60_000,
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const shot = async (name: string) => {
    const path = join(shots, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    t.diagnostic(`screenshot ${name}: ${path}`);
  };
  return { page, problems, shot };
}
