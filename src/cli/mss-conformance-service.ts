/**
 * How `passerelle mss conformance run` finds the conformance PSC that `serve` runs. `serve`
 * writes `<stateDir>/service.json` (the issuer, the web application's URL and where its CA and
 * admin secret are; no secret in it) when it is ready and removes it when it stops. `run`
 * reads it and talks to the service's admin API over TLS with the admin secret file
 * (`connectConformancePsc`), or uses `--psc-url` with `--psc-admin-secret-file` and
 * `--psc-ca` for a service elsewhere.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readSecret } from '../config/secret.ts';
import { PasserelleError } from '../errors.ts';
import type { ConformancePsc } from '../mss/conformance/runner-types.ts';
import type { CommandContext } from './context.ts';

/** Default state directory of `serve` and `run`, relative to the working directory. */
export const DEFAULT_CONFORMANCE_STATE_DIR = '.passerelle-conformance';
export const SERVICE_FILE = 'service.json';

/** What `serve` publishes in its state directory while it runs. */
export interface ConformanceServiceFile {
  readonly issuer: string;
  readonly app: string;
  readonly caFile: string;
  readonly adminSecretFile: string;
  readonly introspectionSecretFile: string;
  readonly pid: number;
  readonly startedAt: string;
}

export const stateDirOf = (ctx: CommandContext, stateDir: string | undefined): string =>
  resolve(ctx.cwd, stateDir ?? DEFAULT_CONFORMANCE_STATE_DIR);

export const removeServiceFile = (stateDir: string): Promise<void> =>
  rm(join(stateDir, SERVICE_FILE), { force: true });

const pscError = (message: string, hint: string, details: Record<string, string>) =>
  new PasserelleError('ERR_MSS_CONFORMANCE_PSC', message, { hint, details });

async function readServiceFile(stateDir: string): Promise<ConformanceServiceFile> {
  const path = join(stateDir, SERVICE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw pscError(
      `No conformance PSC service is running from ${stateDir}`,
      'Start it with `passerelle mss conformance serve` (same --state-dir), or name a running one with --psc-url, --psc-admin-secret-file and --psc-ca.',
      { stateDir },
    );
  }
  try {
    const v = JSON.parse(text) as Partial<ConformanceServiceFile>;
    if (typeof v.issuer === 'string' && typeof v.caFile === 'string' && typeof v.adminSecretFile === 'string')
      return v as ConformanceServiceFile;
  } catch {
    // reported below
  }
  throw pscError(
    `${path} is not a conformance service file`,
    'Restart `passerelle mss conformance serve`: it rewrites the file.',
    { path },
  );
}

async function readPem(ctx: CommandContext, file: string, flag: string): Promise<string> {
  const path = resolve(ctx.cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    const code =
      (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'ERR_FILE_NOT_FOUND' : 'ERR_FILE_UNREADABLE';
    throw new PasserelleError(code, `Cannot read ${flag} ${path}`, {
      hint: `Check the path given to ${flag}.`,
      details: { path, setting: flag },
      cause,
    });
  }
}

export interface PscChoice {
  readonly stateDir: string;
  readonly pscUrl?: string | undefined;
  readonly pscAdminSecretFile?: string | undefined;
  readonly pscCa?: string | undefined;
}

/**
 * The ConformancePsc of the run and the issuer it reports: the service named by `--psc-url`
 * or the local one of the state directory. Nothing is contacted yet (see `checkPsc`).
 */
export async function resolveConformancePsc(
  ctx: CommandContext,
  o: PscChoice,
): Promise<{ psc: ConformancePsc; issuer: string; source: string }> {
  const { connectConformancePsc } = await import('../mss/conformance/remote-psc.ts');
  if (o.pscUrl !== undefined) {
    const missing = [
      o.pscAdminSecretFile === undefined ? '--psc-admin-secret-file' : '',
      o.pscCa === undefined ? '--psc-ca' : '',
    ].filter(Boolean);
    if (missing.length > 0)
      throw new PasserelleError('ERR_USAGE', `--psc-url needs ${missing.join(' and ')}`, {
        hint: "Name the service's admin-secret file and the CA of its TLS certificate (both in its state directory: admin-secret, pki/ca/ca.crt).",
        details: { missing },
      });
    const adminSecret = await readSecret(
      { file: o.pscAdminSecretFile as string },
      { baseDir: ctx.cwd, env: ctx.processEnv, setting: '--psc-admin-secret-file' },
    );
    const ca = await readPem(ctx, o.pscCa as string, '--psc-ca');
    const psc = connectConformancePsc({ url: o.pscUrl, adminSecret: adminSecret.trim(), ca });
    return { psc, issuer: psc.issuer, source: o.pscUrl };
  }
  if (o.pscAdminSecretFile !== undefined || o.pscCa !== undefined)
    throw new PasserelleError('ERR_USAGE', '--psc-admin-secret-file and --psc-ca go with --psc-url', {
      hint: 'Give --psc-url too, or drop them to use the local service of --state-dir.',
    });
  const service = await readServiceFile(o.stateDir);
  const adminSecret = await readSecret(
    { file: service.adminSecretFile },
    { baseDir: o.stateDir, env: ctx.processEnv, setting: `${SERVICE_FILE} adminSecretFile` },
  );
  const ca = await readPem(ctx, service.caFile, `${SERVICE_FILE} caFile`);
  const psc = connectConformancePsc({ url: service.issuer, adminSecret: adminSecret.trim(), ca });
  return { psc, issuer: psc.issuer, source: join(o.stateDir, SERVICE_FILE) };
}

/**
 * Asks the PSC for a token of the target's professional before the run: an unreachable service
 * or a refused admin secret fails the command (ERR_MSS_CONFORMANCE_PSC, exit 1) instead of
 * turning every token case into an error. The token is dropped.
 */
export async function checkPsc(
  psc: ConformancePsc,
  who: { readonly idNat: string; readonly mailbox: string },
  stateDirHint: string,
): Promise<void> {
  try {
    await psc.mintToken({ idNat: who.idNat, mailbox: who.mailbox });
  } catch (e) {
    if (e instanceof PasserelleError && e.code === 'ERR_MSS_CONFORMANCE_PSC')
      throw new PasserelleError(e.code, e.message, {
        hint: `Is \`passerelle mss conformance serve\` running (state dir ${stateDirHint})? Start it, or check --psc-url and its admin secret file.`,
        details: e.details,
        cause: e,
      });
    throw e;
  }
}
