import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DoctorCheck, DoctorFirewallRow, DoctorReport } from '../doctor/index.ts';
import { PasserelleError } from '../errors.ts';
import { PROFILE_NAMES, type ProfileName } from '../pki/profiles.ts';
import type { CommandContext } from './context.ts';
import { emit, emitFailure } from './output.ts';

export interface DoctorCommandOptions {
  readonly profile?: string;
  readonly onboarding?: string;
  readonly restApi?: readonly string[];
  readonly dnsTimeout?: string;
  readonly tcpTimeout?: string;
  readonly tlsTimeout?: string;
  readonly callTimeout?: string;
}

const SUMMARY = 'onboarding.json';

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The lines of one check: ✓/✗/- with its duration, then for a failure what broke and what to do. */
export function doctorCheckLines(c: DoctorCheck): string[] {
  if (c.status === 'skipped') return [`- ${c.title}  (skipped: ${c.detail ?? ''})`];
  if (c.status === 'ok')
    return [`✓ ${c.title}  (${duration(c.durationMs)})${c.detail ? `  ${c.detail}` : ''}`];
  return [
    `✗ ${c.title}  (${duration(c.durationMs)})`,
    `    ${c.code ?? 'ERR_INTERNAL'}: ${c.message ?? 'failed'}`,
    `    onboarding step ${c.step ?? '?'} (${c.stepName ?? '?'})`,
    `    → ${c.remedy ?? ''}`,
  ];
}

function timeout(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 600_000))
    throw new PasserelleError(
      'ERR_USAGE',
      `${flag} must be a number of milliseconds from 1 to 600000, not "${value}"`,
    );
  return n;
}

function profileOf(value: string | undefined): ProfileName | undefined {
  if (value === undefined) return undefined;
  if ((PROFILE_NAMES as readonly string[]).includes(value)) return value as ProfileName;
  throw new PasserelleError('ERR_USAGE', `--profile: unknown profile "${value}"`, {
    hint: `Choose one of ${PROFILE_NAMES.join(', ')}.`,
  });
}

/**
 * The onboarding.json of --onboarding DIR, else the one beside the configuration file (where
 * `passerelle onboard init` writes both), else none. A configuration that does not load is left
 * to the doctor's configuration check.
 */
async function summaryPath(ctx: CommandContext, dir: string | undefined): Promise<string | undefined> {
  if (dir !== undefined) return join(resolve(ctx.cwd, dir), SUMMARY);
  const loaded = await ctx.config().catch(() => undefined);
  const beside = loaded?.path === undefined ? undefined : join(dirname(loaded.path), SUMMARY);
  return beside !== undefined && existsSync(beside) ? beside : undefined;
}

/** The firewall-form rows of an onboarding folder's onboarding.json (its `flows`), by name and IP. */
async function firewallRows(ctx: CommandContext, dir: string | undefined): Promise<DoctorFirewallRow[]> {
  const path = await summaryPath(ctx, dir);
  if (path === undefined) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new PasserelleError('ERR_FILE_UNREADABLE', `Cannot read the onboarding summary ${path}`, {
      hint: 'Name the folder `passerelle onboard init` wrote (it holds onboarding.json).',
      details: { path },
      cause,
    });
  }
  const flows = (doc as { flows?: unknown }).flows;
  if (!Array.isArray(flows)) return [];
  return flows.flatMap((f: unknown): DoctorFirewallRow[] => {
    const { row, destination } = (f ?? {}) as { row?: unknown; destination?: Record<string, unknown> };
    const port = destination?.['port'];
    if (typeof row !== 'number' || typeof port !== 'number') return [];
    return [destination?.['ip'], destination?.['name']]
      .filter((h): h is string => typeof h === 'string')
      .map((host) => ({ row, host, port }));
  });
}

/**
 * `passerelle doctor`: the checks of runDoctor, one line each as they end (✓/✗, duration), the
 * failed one with its onboarding step and remedy; --json prints the report. Exit 1 on failure.
 */
export async function doctorCommand(ctx: CommandContext, opts: DoctorCommandOptions): Promise<number> {
  const timeouts = {
    dnsMs: timeout(opts.dnsTimeout, '--dns-timeout'),
    tcpMs: timeout(opts.tcpTimeout, '--tcp-timeout'),
    tlsMs: timeout(opts.tlsTimeout, '--tls-timeout'),
    callMs: timeout(opts.callTimeout, '--call-timeout'),
  };
  const profile = profileOf(opts.profile);
  const rows = await firewallRows(ctx, opts.onboarding);
  const { runDoctor } = await import('../doctor/index.ts');
  const report: DoctorReport = await runDoctor(() => ctx.environment(), {
    clock: ctx.clock,
    processEnv: ctx.processEnv,
    firewallRows: rows,
    ...(opts.restApi === undefined ? {} : { restApis: opts.restApi }),
    timeouts: Object.fromEntries(Object.entries(timeouts).filter(([, v]) => v !== undefined)),
    ...(profile === undefined ? {} : { profile }),
    ...(ctx.json ? {} : { onCheck: (c: DoctorCheck) => ctx.io.out(doctorCheckLines(c).join('\n')) }),
  });
  const value = {
    env: report.env,
    status: report.status,
    durationMs: report.durationMs,
    checks: report.checks,
  };
  const { failed } = report;
  if (failed === undefined) {
    emit(
      ctx.io,
      ctx.json,
      value,
      () => `All ${report.checks.length} checks passed on ${report.env} in ${duration(report.durationMs)}.`,
    );
    return 0;
  }
  const error = new PasserelleError(failed.code ?? 'ERR_INTERNAL', failed.message ?? 'failed', {
    ...(failed.remedy === undefined ? {} : { hint: failed.remedy }),
    details: { check: failed.id, step: failed.step ?? null, stepName: failed.stepName ?? null },
  });
  return emitFailure(
    ctx.io,
    ctx.json,
    value,
    error,
    () =>
      `Doctor: ${report.env} is broken at onboarding step ${failed.step} (${failed.stepName}), check ${failed.id}.`,
  );
}
