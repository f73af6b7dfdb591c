/**
 * Case results and the overall verdict on the seed 004 scale (MSS 20): conformant (no or only
 * minor non-conformities), non-conformant with major non-conformities, non-conformant with
 * blocking ones.
 *
 * Decisions:
 * - `error` (the case could not reach an answer: timeout, connection reset mid-case, a probe
 *   crash) counts as a failure of its severity. A server that stops answering on a hostile
 *   input is not shown to refuse it, and a regulator must not get "conformant" out of a run that
 *   never observed the behaviour. A false alarm is cheap (re-run), a false pass is not.
 * - minor and informational failures never change the verdict; they are listed in `failures`.
 * - a blocking or major case that has no result, or was `skipped` (by selection or because a
 *   case it depends on did not pass), makes the run `incomplete` and is listed in `notRun` with
 *   its reason. The verdict is still computed from what failed, so a blocking failure reads
 *   "non-conformant-blocking" even when incomplete; but "conformant" with `incomplete: true` is
 *   not a conformity statement and reports must print it as such.
 * - `not-applicable` (e.g. "no auth before TLS" on an implicit-TLS port) is a complete answer.
 */
import type { ConformanceCase, Severity } from './catalogue.ts';

export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'not-applicable';
export const CASE_STATUSES: readonly CaseStatus[] = [
  'passed',
  'failed',
  'error',
  'skipped',
  'not-applicable',
];
export const SEVERITIES: readonly Severity[] = ['blocking', 'major', 'minor', 'informational'];

/** One transcript line: client, server, or a note of the runner. Tokens already redacted. */
export interface EvidenceLine {
  readonly dir: 'c' | 's' | 'note';
  readonly text: string;
}

export interface CaseResult {
  readonly caseId: string;
  readonly status: CaseStatus;
  readonly durationMs: number;
  readonly evidence: readonly EvidenceLine[];
  /** One line for a person: what was observed. */
  readonly message: string;
}

export type VerdictLevel = 'conformant' | 'non-conformant-major' | 'non-conformant-blocking';
export const VERDICT_LEVELS: readonly VerdictLevel[] = [
  'conformant',
  'non-conformant-major',
  'non-conformant-blocking',
];

export interface CaseFailure {
  readonly caseId: string;
  readonly severity: Severity;
  readonly status: 'failed' | 'error';
}

export type NotRunReason = 'missing' | 'skipped' | 'dependency-not-passed';

export interface NotRunCase {
  readonly caseId: string;
  readonly severity: Severity;
  readonly reason: NotRunReason;
  /** For dependency-not-passed: the dependencies that did not pass. */
  readonly blockedBy: readonly string[];
}

export interface Verdict {
  readonly level: VerdictLevel;
  /** True when a blocking or major case has no result or was skipped: see `notRun`. */
  readonly incomplete: boolean;
  readonly failures: readonly CaseFailure[];
  readonly notRun: readonly NotRunCase[];
}

function indexResults(catalogue: readonly ConformanceCase[], results: readonly CaseResult[]) {
  const ids = new Set(catalogue.map((c) => c.id));
  const byId = new Map<string, CaseResult>();
  for (const r of results) {
    if (!ids.has(r.caseId)) throw new TypeError(`result for a case not in the catalogue: ${r.caseId}`);
    if (byId.has(r.caseId)) throw new TypeError(`two results for case ${r.caseId}`);
    byId.set(r.caseId, r);
  }
  return byId;
}

const counts = (s: Severity) => s === 'blocking' || s === 'major';

/** The verdict of `results` against `catalogue` (the cases the run was meant to cover). */
export function computeVerdict(
  catalogue: readonly ConformanceCase[],
  results: readonly CaseResult[],
): Verdict {
  const byId = indexResults(catalogue, results);
  const failures: CaseFailure[] = [];
  const notRun: NotRunCase[] = [];
  for (const c of catalogue) {
    const r = byId.get(c.id);
    if (r?.status === 'failed' || r?.status === 'error') {
      failures.push({ caseId: c.id, severity: c.severity, status: r.status });
      continue;
    }
    if (!counts(c.severity) || (r && r.status !== 'skipped')) continue;
    const blockedBy = c.dependsOn.filter((d) => {
      const s = byId.get(d)?.status;
      return s !== 'passed' && s !== 'not-applicable';
    });
    const reason: NotRunReason = !r ? 'missing' : blockedBy.length > 0 ? 'dependency-not-passed' : 'skipped';
    notRun.push({
      caseId: c.id,
      severity: c.severity,
      reason,
      blockedBy: reason === 'missing' ? [] : blockedBy,
    });
  }
  const level: VerdictLevel = failures.some((f) => f.severity === 'blocking')
    ? 'non-conformant-blocking'
    : failures.some((f) => f.severity === 'major')
      ? 'non-conformant-major'
      : 'conformant';
  return { level, incomplete: notRun.length > 0, failures, notRun };
}

export type StatusCounts = Record<CaseStatus | 'missing', number>;

export interface Summary {
  readonly total: StatusCounts;
  readonly bySeverity: Record<Severity, StatusCounts>;
}

const zero = (): StatusCounts => ({
  passed: 0,
  failed: 0,
  error: 0,
  skipped: 0,
  'not-applicable': 0,
  missing: 0,
});

/** Counts per severity and status (`missing`: a catalogue case with no result). */
export function summarise(catalogue: readonly ConformanceCase[], results: readonly CaseResult[]): Summary {
  const byId = indexResults(catalogue, results);
  const total = zero();
  const bySeverity = { blocking: zero(), major: zero(), minor: zero(), informational: zero() };
  for (const c of catalogue) {
    const key = byId.get(c.id)?.status ?? 'missing';
    total[key]++;
    bySeverity[c.severity][key]++;
  }
  return { total, bySeverity };
}
