/**
 * `passerelle mss conformance run`: the conformance catalogue against an operator's API LPS,
 * with the conformance PSC that `serve` runs (or `--psc-url`), the three report files, and an
 * exit status carrying the verdict: 0 conformant (INCOMPLETE said when cases of weight were not
 * run), 10 non-conformant with major non-conformities, 11 with blocking ones; 1 when the run
 * itself failed, 2 for usage; 130 when SIGINT or SIGTERM cancelled it (the cases in flight end
 * as error, the rest are skipped, the reports of what ran are still written; a second signal
 * exits at once). No token ever reaches the output: cases are printed by id,
 * status and their (redacted) message, the JSON summary has no message at all.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { ReportPaths } from '../mss/conformance/report-files.ts';
import type { RunResult } from '../mss/conformance/report-schema.ts';
import type { ConformanceProgress, ConformanceTarget } from '../mss/conformance/runner-types.ts';
import type { VerdictLevel } from '../mss/conformance/verdict.ts';
import type { MssConformanceRunCliOptions } from './commands/mss-conformance.ts';
import type { CommandContext } from './context.ts';
import { parseInbound, startInbound } from './mss-conformance-inbound.ts';
import { checkPsc, resolveConformancePsc, stateDirOf } from './mss-conformance-service.ts';
import { emit } from './output.ts';

/** Exit status of a run cancelled by SIGINT or SIGTERM (128 + SIGINT, as a shell reports it). */
export const INTERRUPTED_EXIT = 130;

/** The exit status of each verdict level (README, docs/guide.md). */
export const VERDICT_EXIT: Readonly<Record<VerdictLevel, number>> = {
  conformant: 0,
  'non-conformant-major': 10,
  'non-conformant-blocking': 11,
};

const usage = (message: string, hint: string) => new PasserelleError('ERR_USAGE', message, { hint });

/** A whole number of seconds (1 to max) given to `flag`, in milliseconds; ERR_USAGE otherwise. */
export function seconds(text: string | undefined, flag: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > max)
    throw usage(`${flag} must be a whole number of seconds from 1 to ${max}`, `For example ${flag} 30.`);
  return Number(text) * 1000;
}

function selection(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const ids = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0)
    throw usage('--select names no case', 'Give case ids separated by commas (the report lists them).');
  return ids;
}

async function readInput(ctx: CommandContext, file: string, flag: string): Promise<string> {
  const path = resolve(ctx.cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PasserelleError(
      missing ? 'ERR_FILE_NOT_FOUND' : 'ERR_FILE_UNREADABLE',
      `Cannot read ${flag} ${path}`,
      {
        hint: `Check the path given to ${flag}.`,
        details: { path, setting: flag },
        cause,
      },
    );
  }
}

/** The client certificate of the AUTH_CLI cases: a PKCS#12 keystore or PEM files, password from env or file. */
async function clientCertificate(
  ctx: CommandContext,
  o: MssConformanceRunCliOptions,
): Promise<{ certPem: string; keyPem: string } | undefined> {
  const pem = o.clientCertPem !== undefined || o.clientKeyPem !== undefined;
  if (o.clientCert !== undefined && pem)
    throw usage('Give --client-cert or --client-cert-pem/--client-key-pem, not both', 'Keep one of them.');
  if (pem && (o.clientCertPem === undefined || o.clientKeyPem === undefined))
    throw usage(
      '--client-cert-pem and --client-key-pem go together',
      'Give the certificate and its private key.',
    );
  if (o.passwordEnv !== undefined && o.passwordFile !== undefined)
    throw usage(
      'Give either --password-env or --password-file, not both',
      'Keep the one that names the password.',
    );
  const password =
    o.passwordEnv !== undefined
      ? { env: o.passwordEnv }
      : o.passwordFile !== undefined
        ? { file: o.passwordFile }
        : undefined;
  if (o.clientCert === undefined && !pem) {
    if (password !== undefined || o.clientCertMailbox !== undefined)
      throw usage(
        '--password-env, --password-file and --client-cert-mailbox go with a client certificate',
        'Give --client-cert (PKCS#12) or --client-cert-pem and --client-key-pem.',
      );
    return undefined;
  }
  const { loadCredential } = await import('../pki/load-credential.ts');
  const ref =
    o.clientCert !== undefined
      ? { p12: o.clientCert, ...(password ? { password } : {}) }
      : { cert: o.clientCertPem as string, key: o.clientKeyPem as string, ...(password ? { password } : {}) };
  const flags = {
    p12: '--client-cert',
    cert: '--client-cert-pem',
    key: '--client-key-pem',
    password: password && 'env' in password ? '--password-env' : '--password-file',
  } as const;
  const credential = await loadCredential(ref, {
    baseDir: ctx.cwd,
    env: ctx.processEnv,
    setting: (f) => flags[f],
  });
  return { certPem: credential.certPem, keyPem: credential.keyPem };
}

async function targetOf(ctx: CommandContext, o: MssConformanceRunCliOptions): Promise<ConformanceTarget> {
  const [ca, client] = await Promise.all([readInput(ctx, o.ca, '--ca'), clientCertificate(ctx, o)]);
  const { parseTarget } = await import('../mss/conformance/target.ts');
  const target = parseTarget({
    imap: o.target,
    smtp: o.smtp,
    mailbox: o.mailbox,
    idNat: o.idnat,
    ca,
    ...(client ? { clientCertificate: client } : {}),
    ...(o.clientCertMailbox === undefined ? {} : { clientCertificateMailbox: o.clientCertMailbox }),
  });
  return target;
}

/** Warnings of the receiver on stderr in human mode; nothing under --json (stdout stays one document). */
function stderrLog(ctx: CommandContext): Logger {
  const ignore = () => {};
  if (ctx.json) return { debug: ignore, info: ignore, warn: ignore, error: ignore };
  const line = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    ctx.io.err(`[inbound] ${level}: ${msg}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`);
  return { debug: ignore, info: ignore, warn: line('warn'), error: line('error') };
}

const LABEL: Readonly<Record<string, string>> = {
  passed: 'pass',
  failed: 'FAIL',
  error: 'ERR ',
  skipped: 'skip',
  'not-applicable': 'n/a ',
};

/** A server's words on a terminal: control characters (escape sequences included) shown as `?`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

function progressLine(ctx: CommandContext, host: string) {
  return (e: ConformanceProgress) => {
    if (ctx.json) return;
    if (e.type === 'run-started')
      ctx.io.err(`Run ${e.runId}: ${e.total} case(s) against ${printable(host)} (Ctrl+C cancels)`);
    if (e.type !== 'case-finished') return;
    const width = String(e.total).length;
    ctx.io.err(
      `[${String(e.done).padStart(width)}/${e.total}] ${LABEL[e.status] ?? e.status} ${e.caseId}: ${printable(e.message)}`,
    );
  };
}

const VERDICT_TEXT: Readonly<Record<VerdictLevel, string>> = {
  conformant: 'CONFORMANT',
  'non-conformant-major': 'NON-CONFORMANT (major non-conformities)',
  'non-conformant-blocking': 'NON-CONFORMANT (blocking non-conformities)',
};

function report(
  ctx: CommandContext,
  result: RunResult,
  paths: ReportPaths,
  counts: Record<string, number>,
  pscSource: string,
  cancelled: boolean,
): number {
  const { verdict } = result;
  const exitCode = cancelled ? INTERRUPTED_EXIT : VERDICT_EXIT[verdict.level];
  emit(
    ctx.io,
    ctx.json,
    {
      runId: result.runId,
      operator: result.operator.name,
      target: { host: result.target.host, mailbox: result.target.mailbox },
      catalogueVersion: result.catalogueVersion,
      verdict: verdict.level,
      incomplete: verdict.incomplete,
      exitCode,
      cancelled,
      counts,
      failures: verdict.failures,
      notRun: verdict.notRun,
      psc: pscSource,
      reports: paths,
    },
    () =>
      [
        ...(cancelled
          ? ['Run cancelled (interrupted): the cases in flight ended as error, the rest were skipped.']
          : []),
        `Verdict: ${VERDICT_TEXT[verdict.level]}${verdict.incomplete ? ` — INCOMPLETE: ${verdict.notRun.length} blocking or major case(s) not run, not a conformity statement` : ''}`,
        `  run ${result.runId}, catalogue ${result.catalogueVersion}, ${result.target.host} (${result.target.mailbox})`,
        `  ${Object.entries(counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        ...verdict.failures.map(
          (f) => `  ${f.status === 'error' ? 'error ' : 'failed'} ${f.caseId} (${f.severity})`,
        ),
        ...verdict.notRun.map(
          (n) =>
            `  not run ${n.caseId} (${n.severity}, ${n.reason}${n.blockedBy.length ? `: ${n.blockedBy.join(', ')}` : ''})`,
        ),
        'Reports:',
        `  ${paths.json}`,
        `  ${paths.html}`,
        `  ${paths.pdf}`,
      ].join('\n'),
  );
  return exitCode;
}

/** `passerelle mss conformance run`: returns the exit status of the verdict. */
export async function mssConformanceRun(
  ctx: CommandContext,
  o: MssConformanceRunCliOptions,
): Promise<number> {
  const caseTimeoutMs = seconds(o.caseTimeout, '--case-timeout', 3600);
  const idleWaitMs = seconds(o.idleWait, '--idle-wait', 86_400);
  const selected = selection(o.select);
  const inbound = await parseInbound(o.inbound, o.inboundAddress);
  const lib = await import('../mss/conformance/index.ts');
  const unknown = (selected ?? []).filter((id) => lib.findCase(id) === undefined);
  if (unknown.length > 0)
    throw new PasserelleError('ERR_USAGE', `--select: unknown case id(s) ${unknown.join(', ')}`, {
      hint: `The catalogue ${lib.CATALOGUE_VERSION} has: ${lib.CATALOGUE.map((c) => c.id).join(', ')}.`,
      details: { unknown },
    });
  const stateDir = stateDirOf(ctx, o.stateDir);
  const target = await targetOf(ctx, o);
  const { psc, source } = await resolveConformancePsc(ctx, {
    stateDir,
    pscUrl: o.pscUrl,
    pscAdminSecretFile: o.pscAdminSecretFile,
    pscCa: o.pscCa,
  });
  await checkPsc(psc, target, stateDir);
  const receiver =
    inbound === undefined ? undefined : await startInbound(ctx, stateDir, inbound, stderrLog(ctx));
  const cancel = new AbortController();
  const onSignal = () => {
    if (cancel.signal.aborted) process.exit(INTERRUPTED_EXIT); // second Ctrl+C: at once, no report
    if (!ctx.json)
      ctx.io.err('Cancelling: the cases in flight end, the reports are written (Ctrl+C again to quit now).');
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let result: RunResult;
    try {
      if (receiver && !ctx.json)
        ctx.io.err(
          `Application mailbox ${receiver.receiver.address} listening on ${inbound?.host}:${receiver.receiver.port} (STARTTLS, CA ${receiver.caFile})`,
        );
      result = await lib.runConformance({
        target,
        operatorName: o.operator ?? target.host,
        psc,
        ...(selected ? { selection: selected } : {}),
        ...(caseTimeoutMs === undefined ? {} : { caseTimeoutMs }),
        ...(idleWaitMs === undefined ? {} : { idleWaitMs }),
        ...(receiver ? { inbound: receiver.receiver } : {}),
        clock: () => new Date(ctx.clock.now()),
        signal: cancel.signal,
        onProgress: progressLine(ctx, target.host),
      });
    } finally {
      await receiver?.receiver.close();
    }
    const out = resolve(ctx.cwd, o.out ?? `conformance-${result.runId}`);
    const paths = await lib.writeReports(out, result);
    const { total } = lib.summarise(
      result.selection.map((id) => lib.findCase(id)!),
      result.results,
    );
    return report(ctx, result, paths, total, source, cancel.signal.aborted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
