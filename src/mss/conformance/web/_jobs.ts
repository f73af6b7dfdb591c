/**
 * The job queue: one run at a time, first in first out, at most `maxQueued` waiting. Each job
 * is kept in `<stateDir>/jobs/<id>/job.json` from the moment it is queued, and its run result
 * in `run.json` once finished, so a restart lists past jobs again (a job that was queued or
 * running when the application stopped comes back as failed, "interrupted"). Progress events
 * are kept in memory for the server-sent event streams; after a restart only the final
 * status is known.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPasserelleError } from '../../../errors.ts';
import type { Logger } from '../../../log.ts';
import { CATALOGUE } from '../catalogue.ts';
import { type RunResult, validateRunResult } from '../report-schema.ts';
import type { ConformanceProgress } from '../runner-types.ts';
import {
  applyProgress,
  identifyTarget,
  type JobCase,
  type JobEvent,
  type JobRecord,
  type JobRequest,
  type JobStatus,
  TERMINAL,
} from './_job-record.ts';

export type RunJob = (
  req: JobRequest,
  hooks: { signal: AbortSignal; onProgress: (e: ConformanceProgress) => void },
) => Promise<RunResult>;

export interface Job {
  readonly record: JobRecord;
  readonly cases: Map<string, JobCase>;
  readonly events: JobEvent[];
  result?: RunResult;
  /** Dropped when the run ends: the CA and client key are not kept longer than needed. */
  request?: JobRequest;
  controller?: AbortController;
  readonly listeners: Set<(e: JobEvent) => void>;
}

export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_EVENTS = 1000;

export interface JobQueueOptions {
  readonly stateDir: string;
  readonly runJob: RunJob;
  readonly maxQueued: number;
  readonly clock: () => Date;
  readonly log: Logger;
}

export class JobQueue {
  readonly #jobs = new Map<string, Job>();
  readonly #waiting: Job[] = [];
  #running: { job: Job; done: Promise<void> } | undefined;
  #closed = false;
  readonly #dir: string;

  constructor(private readonly options: JobQueueOptions) {
    this.#dir = join(options.stateDir, 'jobs');
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#restore();
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Jobs, newest first (ties: the later submitted first). */
  list(): Job[] {
    return [...this.#jobs.values()]
      .reverse()
      .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
  }

  get(id: string): Job | undefined {
    return JOB_ID.test(id) ? this.#jobs.get(id) : undefined;
  }

  /** Queues a job (it starts at once when none runs); undefined when the queue is full or the application closes. */
  submit(request: JobRequest): Job | undefined {
    if (this.#closed || (this.#running !== undefined && this.#waiting.length >= this.options.maxQueued))
      return undefined;
    const selection = request.selection ?? CATALOGUE.map((c) => c.id);
    const record: JobRecord = {
      id: randomUUID(),
      status: 'queued',
      operatorName: request.operatorName,
      target: identifyTarget(request.target),
      selection,
      createdAt: this.options.clock().toISOString(),
      progress: { done: 0, total: selection.length },
    };
    const job: Job = {
      record,
      cases: casesOf(selection),
      events: [],
      request,
      listeners: new Set(),
    };
    this.#jobs.set(record.id, job);
    this.#waiting.push(job);
    this.#persist(job);
    this.options.log.info(
      { jobId: record.id, operator: record.operatorName, host: record.target.host },
      'conformance job queued',
    );
    this.#pump();
    return job;
  }

  /** Cancels a queued job at once, a running one through its AbortSignal. */
  cancel(id: string): 'cancelled' | 'cancelling' | 'terminal' | undefined {
    const job = this.get(id);
    if (job === undefined) return undefined;
    if (TERMINAL.has(job.record.status)) return 'terminal';
    if (job.record.status === 'queued') {
      this.#waiting.splice(this.#waiting.indexOf(job), 1);
      job.request = undefined;
      this.#finish(job, 'cancelled');
      return 'cancelled';
    }
    job.controller?.abort();
    return 'cancelling';
  }

  /** Calls `listener` with the events after `afterSeq`, then with each new one; returns the unsubscribe. */
  subscribe(job: Job, afterSeq: number, listener: (e: JobEvent) => void): () => void {
    for (const e of job.events) if (e.seq > afterSeq) listener(e);
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Stops taking jobs, aborts the running one and waits for it to end (at most `graceMs`). */
  async close(graceMs = 10_000): Promise<void> {
    this.#closed = true;
    const running = this.#running;
    if (running === undefined) return;
    running.job.controller?.abort();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.options.log.warn(
          { jobId: running.job.record.id },
          'conformance job still running after abort: left behind',
        );
        resolve();
      }, graceMs);
    });
    await Promise.race([running.done, late]);
    clearTimeout(timer);
  }

  #pump(): void {
    if (this.#running || this.#closed) return;
    const job = this.#waiting.shift();
    if (job === undefined) return;
    const done = this.#run(job).finally(() => {
      this.#running = undefined;
      this.#pump();
    });
    this.#running = { job, done };
  }

  async #run(job: Job): Promise<void> {
    const { record } = job;
    const controller = new AbortController();
    job.controller = controller;
    record.status = 'running';
    record.startedAt = this.options.clock().toISOString();
    this.#persist(job);
    this.#emit(job, { type: 'status', data: { status: 'running' } });
    const request = job.request!;
    try {
      const result = await this.options.runJob(request, {
        signal: controller.signal,
        onProgress: (e) => {
          applyProgress(record, job.cases, e);
          this.#emit(job, { type: 'progress', data: e });
        },
      });
      const issues = validateRunResult(JSON.parse(JSON.stringify(result)));
      if (issues.length > 0) {
        this.options.log.error(
          { jobId: record.id, issues: issues.slice(0, 5) },
          'conformance run result invalid',
        );
        this.#fail(
          job,
          'ERR_MSS_CONFORMANCE_RESULT_INVALID',
          'The run returned a result that does not match its schema',
        );
        return;
      }
      job.result = result;
      applyProgress(record, job.cases, { type: 'run-finished', result });
      record.verdict = { level: result.verdict.level, incomplete: result.verdict.incomplete };
      writeAtomic(join(this.#dir, record.id, 'run.json'), `${JSON.stringify(result, null, 2)}\n`);
      this.#finish(job, controller.signal.aborted ? 'cancelled' : 'finished');
    } catch (e) {
      if (controller.signal.aborted) this.#finish(job, 'cancelled');
      else if (isPasserelleError(e)) this.#fail(job, e.code, e.message);
      else {
        this.options.log.error(
          { jobId: record.id, error: e instanceof Error ? e.name : typeof e },
          'conformance run crashed',
        );
        this.#fail(job, 'ERR_INTERNAL', 'The run stopped on an internal error (see the application log)');
      }
    } finally {
      job.request = undefined;
      job.controller = undefined;
    }
  }

  #fail(job: Job, code: string, message: string): void {
    job.record.error = { code, message };
    this.#finish(job, 'failed');
  }

  #finish(job: Job, status: JobStatus): void {
    const { record } = job;
    record.status = status;
    record.finishedAt = this.options.clock().toISOString();
    this.#persist(job);
    this.options.log.info(
      { jobId: record.id, status, verdict: record.verdict?.level ?? null, error: record.error?.code ?? null },
      'conformance job ended',
    );
    this.#emit(job, {
      type: 'status',
      data: {
        status,
        ...(record.verdict ? { verdict: record.verdict } : {}),
        ...(record.error ? { error: record.error } : {}),
      },
    });
    job.listeners.clear();
  }

  #emit(job: Job, e: Omit<JobEvent, 'seq'>): void {
    const event = { ...e, seq: job.events.length + 1 } as JobEvent;
    if (job.events.length < MAX_EVENTS || e.type === 'status') job.events.push(event);
    for (const listener of job.listeners) listener(event);
  }

  #persist(job: Job): void {
    const dir = join(this.#dir, job.record.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeAtomic(join(dir, 'job.json'), `${JSON.stringify(job.record, null, 2)}\n`);
  }

  #restore(): void {
    for (const id of readdirSync(this.#dir)) {
      if (!JOB_ID.test(id)) continue;
      try {
        const record = JSON.parse(readFileSync(join(this.#dir, id, 'job.json'), 'utf8')) as JobRecord;
        if (record.id !== id) continue;
        const job: Job = { record, cases: casesOf(record.selection), events: [], listeners: new Set() };
        if (record.status === 'finished') {
          const result: unknown = JSON.parse(readFileSync(join(this.#dir, id, 'run.json'), 'utf8'));
          if (validateRunResult(result).length > 0) throw new TypeError('run.json does not match its schema');
          job.result = result as RunResult;
          applyProgress(record, job.cases, { type: 'run-finished', result: job.result });
        } else if (!TERMINAL.has(record.status)) {
          record.status = 'failed';
          record.error = { code: 'ERR_INTERNAL', message: 'The application stopped before this job ended' };
          this.#persist(job);
        }
        this.#jobs.set(id, job);
      } catch (e) {
        this.options.log.warn(
          { jobId: id, error: e instanceof Error ? e.message.slice(0, 200) : String(e) },
          'conformance job not restored',
        );
      }
    }
  }
}

function casesOf(selection: readonly string[]): Map<string, JobCase> {
  return new Map(selection.map((caseId) => [caseId, { caseId, status: 'pending', message: '' }]));
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}
