/**
 * `passerelle mss conformance serve`: the conformance PSC on a fixed port (keys, TLS PKI and
 * introspection credentials kept in the state directory, so the URLs and the client an
 * operator configured once stay valid across restarts) and the web application whose jobs run
 * against it. It prints what the operator configures in its servers — issuer, introspection,
 * JWKS and discovery URLs, the introspection client id, the FILE holding its secret (never the
 * value), the CA of the PSC's TLS certificate — and publishes `service.json` for `run`. With
 * `--inbound HOST:PORT --inbound-address ADDR` the application's SMTP receiver runs beside them
 * (as in `run`) and every job gets it: the operator-interface case runs from the browser too.
 */
import { writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { MssConformanceServeCliOptions } from './commands/mss-conformance.ts';
import type { CommandContext } from './context.ts';
import { parseInbound, startInbound } from './mss-conformance-inbound.ts';
import { seconds } from './mss-conformance-run.ts';
import {
  type ConformanceServiceFile,
  removeServiceFile,
  SERVICE_FILE,
  stateDirOf,
} from './mss-conformance-service.ts';
import { untilStopped } from './until-stopped.ts';

export const DEFAULT_PSC_PORT = 7443;
export const DEFAULT_APP_PORT = 7480;
const INTROSPECTION_SECRET_FILE = 'introspection-client-secret';

/** What `serve` prints (and emits under --json): the operator's configuration, no secret. */
export interface ConformanceServeInfo {
  readonly stateDir: string;
  readonly psc: {
    readonly issuer: string;
    readonly introspection: string;
    readonly jwks: string;
    readonly discovery: string;
    readonly introspectionClientId: string;
    readonly introspectionClientSecretFile: string;
    readonly caFile: string;
  };
  readonly app: string;
  /** The application's SMTP receiver of the jobs (`--inbound`), when there is one. */
  readonly inbound?: {
    readonly address: string;
    readonly host: string;
    readonly port: number;
    readonly caFile: string;
  };
  readonly adminSecretFile: string;
  readonly serviceFile: string;
  /** What the operator should know before configuring (e.g. URLs only this machine reaches). */
  readonly warnings: readonly string[];
}

const EVERY_INTERFACE = new Set(['0.0.0.0', '::', '']);

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * The name operators' servers reach the PSC at (issuer, URLs, certificate): --public-name, else
 * --host, else 127.0.0.1 when --host is every interface.
 */
function publicNameOf(host: string, given: string | undefined): string {
  if (given === undefined) return EVERY_INTERFACE.has(host) ? '127.0.0.1' : host;
  if (isIP(given) === 0 && !HOST_NAME.test(given))
    throw new PasserelleError(
      'ERR_USAGE',
      `--public-name must be a host name or an IP address, got ${JSON.stringify(given.slice(0, 100))}`,
    );
  return given;
}

/** The names the PSC's TLS certificate must carry besides localhost and 127.0.0.1. */
function serverNamesOf(name: string): { dnsNames?: string[]; ipAddresses?: string[] } {
  return isIP(name) === 0 ? { dnsNames: [name] } : { ipAddresses: [name] };
}

function warningsOf(host: string, publicName: string | undefined): string[] {
  if (!EVERY_INTERFACE.has(host) || publicName !== undefined) return [];
  return [
    `--host ${host} listens on every interface, but the issuer and URLs name 127.0.0.1: operators' servers on other machines cannot reach them. Give --public-name the name or address they reach this machine at.`,
  ];
}

function port(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= 65535))
    throw new PasserelleError(
      'ERR_USAGE',
      `${flag} must be a port number from 0 to 65535, not "${text.slice(0, 20)}"`,
      {
        hint: `Omit ${flag} for the default (${fallback}); 0 takes an ephemeral port (its URLs then change at each start).`,
      },
    );
  return n;
}

function logOf(ctx: CommandContext): Logger {
  const ignore = () => {};
  if (ctx.json) return { debug: ignore, info: ignore, warn: ignore, error: ignore };
  const line = (level: string) => (fields: Record<string, unknown>, msg: string) =>
    ctx.io.err(
      `[conformance] ${level}: ${msg}${Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`,
    );
  return { debug: ignore, info: ignore, warn: line('warn'), error: line('error') };
}

function human(info: ConformanceServeInfo): string {
  const rows: [string, string][] = [
    ['issuer', info.psc.issuer],
    ['introspection URL', info.psc.introspection],
    ['JWKS URL', info.psc.jwks],
    ['discovery', info.psc.discovery],
    ['introspection client id', info.psc.introspectionClientId],
    ['client secret (file)', info.psc.introspectionClientSecretFile],
    ['PSC TLS CA', info.psc.caFile],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const { inbound } = info;
  return [
    'Passerelle MSSanté conformance service ready',
    'Configure the operator servers with this Pro Santé Connect (once; the URLs stay the same):',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    `Web application: ${info.app}`,
    ...(inbound
      ? [
          `Application mailbox of the jobs: ${inbound.address}, SMTP on ${inbound.host}:${inbound.port} (STARTTLS, CA ${inbound.caFile})`,
        ]
      : []),
    `Runs from the command line: passerelle mss conformance run --state-dir ${info.stateDir} --target imaps://… --smtp smtps://… --mailbox … --idnat … --ca …`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}

/**
 * The body of `serve`, testable in-process: starts the PSC and the web application, prints the
 * ready line (`--json`: one JSON line `{ok, event: "ready", ...}`) or the summary, waits until
 * `signal` aborts, then stops both and removes service.json. Returns 0.
 */
export async function serveConformance(
  ctx: CommandContext,
  opts: MssConformanceServeCliOptions,
  signal: AbortSignal,
  onReady?: (info: ConformanceServeInfo) => void,
): Promise<number> {
  const pscPort = port(opts.pscPort, '--psc-port', DEFAULT_PSC_PORT);
  const appPort = port(opts.port, '--port', DEFAULT_APP_PORT);
  const host = opts.host ?? '127.0.0.1';
  const publicName = publicNameOf(host, opts.publicName);
  const caseTimeoutMs = seconds(opts.caseTimeout, '--case-timeout', 3600);
  const inbound = await parseInbound(opts.inbound, opts.inboundAddress);
  const stateDir = stateDirOf(ctx, opts.stateDir);
  const [{ startConformancePsc }, lib, { writeSecretFile }] = await Promise.all([
    import('../sandbox/psc/conformance-psc.ts'),
    import('../mss/conformance/index.ts'),
    import('../secret-file.ts'),
  ]);
  if (signal.aborted) return 0;
  const log = logOf(ctx);
  const service = await startConformancePsc({
    host,
    publicHost: publicName,
    port: pscPort,
    stateDir,
    log,
    clock: ctx.clock,
    serverNames: serverNamesOf(publicName),
  });
  let app: Awaited<ReturnType<typeof lib.startConformanceApp>> | undefined;
  let receiver: Awaited<ReturnType<typeof startInbound>> | undefined;
  try {
    const { stub } = service;
    // After the PSC: the receiver's certificate comes from the service's development CA.
    if (inbound) receiver = await startInbound(ctx, stateDir, inbound, log);
    const mailbox = receiver?.receiver;
    const secretFile = join(stateDir, INTROSPECTION_SECRET_FILE);
    await writeSecretFile(secretFile, `${stub.introspectionClient.clientSecret}\n`);
    app = await lib.startConformanceApp({
      host,
      port: appPort,
      stateDir,
      log,
      psc: {
        issuer: stub.issuer,
        introspection: stub.endpoints.introspection,
        jwks: stub.endpoints.jwks,
        discovery: stub.endpoints.discovery,
        introspectionClient: stub.introspectionClient,
      },
      runJob: (req, hooks) =>
        lib.runConformance({
          target: req.target,
          operatorName: req.operatorName,
          psc: service.psc,
          ...(req.selection ? { selection: req.selection } : {}),
          ...(caseTimeoutMs === undefined ? {} : { caseTimeoutMs }),
          ...(mailbox ? { inbound: mailbox } : {}),
          clock: () => new Date(ctx.clock.now()),
          signal: hooks.signal,
          onProgress: hooks.onProgress,
        }),
    });
    const serviceFile = join(stateDir, SERVICE_FILE);
    const published: ConformanceServiceFile = {
      issuer: stub.issuer,
      app: app.url,
      caFile: service.caFile,
      adminSecretFile: service.adminSecretFile,
      introspectionSecretFile: secretFile,
      pid: process.pid,
      startedAt: new Date(ctx.clock.now()).toISOString(),
    };
    await writeFile(serviceFile, `${JSON.stringify(published, null, 2)}\n`, { mode: 0o644 });
    const info: ConformanceServeInfo = {
      stateDir,
      psc: {
        issuer: stub.issuer,
        introspection: stub.endpoints.introspection,
        jwks: stub.endpoints.jwks,
        discovery: stub.endpoints.discovery,
        introspectionClientId: stub.introspectionClient.clientId,
        introspectionClientSecretFile: secretFile,
        caFile: service.caFile,
      },
      app: app.url,
      ...(receiver && inbound
        ? {
            inbound: {
              address: receiver.receiver.address,
              host: inbound.host,
              port: receiver.receiver.port,
              caFile: receiver.caFile,
            },
          }
        : {}),
      adminSecretFile: service.adminSecretFile,
      serviceFile,
      warnings: warningsOf(host, opts.publicName),
    };
    if (!ctx.json) for (const w of info.warnings) ctx.io.err(`warning: ${w}`);
    ctx.io.out(ctx.json ? JSON.stringify({ ok: true, event: 'ready', ...info }) : human(info));
    onReady?.(info);
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      else signal.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    await removeServiceFile(stateDir).catch(() => undefined);
    await app?.close();
    await receiver?.receiver.close();
    await service.close();
  }
  ctx.io.out(
    ctx.json ? JSON.stringify({ ok: true, event: 'stopped', stateDir }) : 'Conformance service stopped.',
  );
  return 0;
}

/** `passerelle mss conformance serve`: runs until SIGINT or SIGTERM, then stops cleanly and exits 0. */
export function mssConformanceServeCommand(
  ctx: CommandContext,
  opts: MssConformanceServeCliOptions,
): Promise<number> {
  return untilStopped((signal) => serveConformance(ctx, opts, signal));
}
