import type { RunTarget } from '../report-schema.ts';
import type { ConformanceProgress, ConformanceTarget } from '../runner-types.ts';
import type { CaseStatus, VerdictLevel } from '../verdict.ts';

export type JobStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';
export const TERMINAL: ReadonlySet<JobStatus> = new Set(['finished', 'failed', 'cancelled']);

/** What runJob is given. */
export interface JobRequest {
  readonly operatorName: string;
  readonly target: ConformanceTarget;
  readonly selection?: readonly string[];
}

export interface JobCase {
  readonly caseId: string;
  status: CaseStatus | 'pending' | 'running';
  message: string;
}

export interface JobRecord {
  readonly id: string;
  status: JobStatus;
  readonly operatorName: string;
  readonly target: RunTarget;
  readonly selection: readonly string[];
  readonly createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  progress: { done: number; total: number };
  verdict?: { level: VerdictLevel; incomplete: boolean };
  /** Why the job failed (or was interrupted): a PasserelleError code and its message, never a stack. */
  error?: { code: string; message: string };
}

/** One server-sent event of a job: a ConformanceProgress of the runner, or a job status change. */
export type JobEvent =
  | { readonly seq: number; readonly type: 'progress'; readonly data: ConformanceProgress }
  | { readonly seq: number; readonly type: 'status'; readonly data: StatusEvent };

export interface StatusEvent {
  readonly status: JobStatus;
  readonly verdict?: JobRecord['verdict'];
  readonly error?: JobRecord['error'];
}

export { identifyTarget } from '../runner.ts';

/** `imaps://host:993` etc., for lists and pages. */
export function targetUrl(target: RunTarget, protocol: 'imap' | 'smtp'): string {
  const e = target[protocol];
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${protocol}${e.tls === 'implicit' ? 's' : ''}://${host}:${e.port}`;
}

/** Applies a progress event to the job's counters and case rows. */
export function applyProgress(record: JobRecord, cases: Map<string, JobCase>, e: ConformanceProgress): void {
  switch (e.type) {
    case 'run-started':
      record.progress = { done: 0, total: e.total };
      return;
    case 'case-started': {
      const c = cases.get(e.caseId);
      if (c) c.status = 'running';
      record.progress = { done: e.done, total: e.total };
      return;
    }
    case 'case-finished': {
      const c = cases.get(e.caseId);
      if (c) Object.assign(c, { status: e.status, message: e.message });
      record.progress = { done: e.done, total: e.total };
      return;
    }
    case 'run-finished':
      for (const r of e.result.results) {
        const c = cases.get(r.caseId);
        if (c) Object.assign(c, { status: r.status, message: r.message });
      }
      record.progress = { done: e.result.results.length, total: record.progress.total };
  }
}
