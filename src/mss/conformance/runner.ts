/**
 * Runs a selection of the catalogue against an operator's API LPS and returns the run result
 * (report-schema.ts), validated against its schema before it is returned.
 *
 * - Cases run as soon as the cases they depend on have finished, up to `concurrency` at once;
 *   a case whose dependency did not pass (or was not applicable) is skipped, naming it.
 * - Each case has its own timeout and AbortSignal: a silent server makes that case `error`,
 *   never the run hang. Cancelling the run (`signal`) ends the cases in flight as `error`
 *   and skips the rest.
 * - A probe's outcome is `passed`, `failed` (the server answered, wrongly), `not-applicable`
 *   or `skipped`; a connection that breaks or stays silent is `error` (counted as a failure of
 *   the case's severity, see verdict.ts).
 * - Every transcript is redacted (tokens → fingerprints) before it enters the result.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';
import type { CaseContext, Probe } from './_context.ts';
import { AUTH_PROBES } from './_probes-auth.ts';
import { MAIL_PROBES } from './_probes-mail.ts';
import { TLS_PROBES } from './_probes-tls.ts';
import { ProtocolRefusal } from './_sessions.ts';
import { tokenKit, untrustedClientCertificate } from './_tokens.ts';
import { Transcript, WireError } from './_wire.ts';
import { CATALOGUE, CATALOGUE_VERSION, type ConformanceCase } from './catalogue.ts';
import { redactText, redactTranscript } from './redact.ts';
import { type RunResult, type RunTarget, validateRunResult } from './report-schema.ts';
import type {
  ConformanceProgress,
  ConformancePsc,
  ConformanceTarget,
  InboundMailbox,
} from './runner-types.ts';
import { type CaseResult, type CaseStatus, computeVerdict } from './verdict.ts';

export interface RunConformanceOptions {
  readonly target: ConformanceTarget;
  readonly operatorName: string;
  readonly psc: ConformancePsc;
  /** Case ids; default the whole catalogue. */
  readonly selection?: readonly string[];
  /** Cases in flight at once; default 4. */
  readonly concurrency?: number;
  /** Per case; default 30 s. */
  readonly caseTimeoutMs?: number;
  /** With it, the idle-timeout case waits this long for the server to close an idle session. */
  readonly idleWaitMs?: number;
  readonly inbound?: InboundMailbox;
  readonly runId?: string;
  readonly clock?: () => Date;
  readonly signal?: AbortSignal;
  readonly onProgress?: (e: ConformanceProgress) => void;
}

const PROBES: Readonly<Record<string, Probe>> = { ...TLS_PROBES, ...AUTH_PROBES, ...MAIL_PROBES };

function selectCases(selection: readonly string[] | undefined): ConformanceCase[] {
  if (!selection) return [...CATALOGUE];
  const unknown = selection.filter((id) => !CATALOGUE.some((c) => c.id === id));
  if (unknown.length > 0)
    throw new PasserelleError('ERR_USAGE', `Unknown conformance case ids: ${unknown.join(', ')}`, {
      details: { unknown },
    });
  return CATALOGUE.filter((c) => selection.includes(c.id));
}

/** The target as the run result names it: no CA, no key; the client certificate identified. */
export function identifyTarget(t: ConformanceTarget): RunTarget {
  const cert = t.clientCertificate ? new X509Certificate(t.clientCertificate.certPem) : undefined;
  const other =
    t.clientCertificateMailbox !== undefined && t.clientCertificateMailbox !== t.mailbox
      ? { mailbox: t.clientCertificateMailbox }
      : {};
  return {
    host: t.host,
    imap: t.imap,
    smtp: t.smtp,
    mailbox: t.mailbox,
    idNat: t.idNat,
    ...(cert
      ? {
          clientCertificate: {
            subject: cert.subject.replace(/\n/g, ', '),
            sha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
            ...other,
          },
        }
      : {}),
  };
}

function classify(e: unknown): { status: CaseStatus; message: string } {
  if (e instanceof ProtocolRefusal) return { status: 'failed', message: e.message };
  if (e instanceof WireError)
    return { status: 'error', message: `${e.kind === 'timeout' ? 'timeout' : 'connection'}: ${e.message}` };
  if (e instanceof PasserelleError) return { status: 'error', message: `${e.code}: ${e.message}` };
  return { status: 'error', message: `probe failure: ${String((e as Error)?.message ?? e).slice(0, 300)}` };
}

export async function runConformance(o: RunConformanceOptions): Promise<RunResult> {
  const clock = o.clock ?? (() => new Date());
  const cases = selectCases(o.selection);
  const runId = o.runId ?? randomBytes(9).toString('base64url');
  const timeoutMs = o.caseTimeoutMs ?? 30_000;
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const startedAt = clock();
  const tokens = tokenKit(o.psc, o.target, () => clock().getTime());
  let untrusted: Promise<{ certPem: string; keyPem: string }> | undefined;
  const results = new Map<string, CaseResult>();
  const total = cases.length;
  o.onProgress?.({ type: 'run-started', runId, total });

  const runOne = async (c: ConformanceCase): Promise<CaseResult> => {
    const begun = performance.now();
    const finish = (status: CaseStatus, message: string, lines: Transcript['lines'] = []): CaseResult => ({
      caseId: c.id,
      status,
      durationMs: Math.round(performance.now() - begun),
      evidence: redactTranscript(lines),
      message: redactText(message).slice(0, 1000),
    });
    const blocked = c.dependsOn.filter((d) => {
      const s = results.get(d)?.status;
      return cases.some((x) => x.id === d) && s !== 'passed' && s !== 'not-applicable';
    });
    if (blocked.length > 0) return finish('skipped', `not run: ${blocked.join(', ')} did not pass`);
    if (o.signal?.aborted) return finish('skipped', 'not run: the run was cancelled');
    const probe = PROBES[c.id];
    if (!probe) return finish('skipped', 'no probe for this case in this version');
    const transcript = new Transcript();
    const controller = new AbortController();
    const onRunAbort = () => controller.abort();
    o.signal?.addEventListener('abort', onRunAbort, { once: true });
    const limit = c.id === 'both.session-idle-timeout' && o.idleWaitMs ? o.idleWaitMs + timeoutMs : timeoutMs;
    const ctx: CaseContext = {
      target: o.target,
      transcript,
      timeoutMs,
      signal: controller.signal,
      tokens,
      untrustedClient: () => {
        untrusted ??= untrustedClientCertificate(o.target, clock());
        return untrusted;
      },
      inbound: o.inbound,
      idleWaitMs: o.idleWaitMs,
      runId,
      now: clock,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        probe(ctx),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new WireError('timeout', `the case did not finish within ${Math.round(limit / 1000)} s`));
          }, limit);
        }),
      ]);
      return finish(outcome.status, outcome.message, transcript.lines);
    } catch (e) {
      const { status, message } = classify(e);
      transcript.note(message);
      return finish(status, message, transcript.lines);
    } finally {
      clearTimeout(timer);
      controller.abort();
      o.signal?.removeEventListener('abort', onRunAbort);
    }
  };

  const pending = [...cases];
  const running = new Map<string, Promise<void>>();
  while (pending.length > 0 || running.size > 0) {
    for (let i = 0; i < pending.length && running.size < concurrency; i++) {
      const c = pending[i]!;
      if (c.dependsOn.some((d) => pending.some((p) => p.id === d) || running.has(d))) continue;
      pending.splice(i--, 1);
      o.onProgress?.({ type: 'case-started', caseId: c.id, done: results.size, total });
      running.set(
        c.id,
        runOne(c).then((r) => {
          results.set(c.id, r);
          running.delete(c.id);
          o.onProgress?.({
            type: 'case-finished',
            caseId: c.id,
            status: r.status,
            message: r.message,
            done: results.size,
            total,
          });
        }),
      );
    }
    if (running.size === 0) throw new TypeError('conformance catalogue: a dependency cycle');
    await Promise.race(running.values());
  }

  const ordered = cases.map((c) => results.get(c.id)!);
  const result: RunResult = {
    schemaVersion: 1,
    runId,
    operator: { name: o.operatorName },
    target: identifyTarget(o.target),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(Math.max(clock().getTime(), startedAt.getTime())).toISOString(),
    catalogueVersion: CATALOGUE_VERSION,
    selection: cases.map((c) => c.id),
    results: ordered,
    verdict: computeVerdict(cases, ordered),
  };
  const issues = validateRunResult(result);
  if (issues.length > 0)
    throw new PasserelleError(
      'ERR_MSS_CONFORMANCE_RESULT_INVALID',
      'The run produced a result that does not match its schema',
      {
        details: { issues },
      },
    );
  o.onProgress?.({ type: 'run-finished', result });
  return result;
}
