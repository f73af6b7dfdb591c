import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Clock, isoNow, systemClock } from '../clock.ts';
import type { Config } from '../config/schema.ts';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { buildClientConfig } from './_client-config.ts';
import { _startFaultListeners } from './_fault-listeners.ts';
import { _faultPki } from './_fault-pki.ts';
import { _ExchangeJournal, type ExchangeJournalOptions } from './_journal.ts';
import { lockStateDir } from './_lock.ts';
import { SandboxLog, type SandboxLogEntry } from './_log.ts';
import { portAllocator } from './_ports.ts';
import { seededRandom } from './_random.ts';
import { writeJsonAtomic } from './_state-file.ts';
import { ensureSandboxPki } from './_state-pki.ts';
import { isSandboxFault, type SandboxFault } from './faults.ts';
import type {
  ExchangeRecord,
  ExchangeSummary,
  SandboxModule,
  SandboxModuleContext,
  SandboxPki,
  SandboxView,
  StartedSandboxModule,
} from './module.ts';

export interface StartSandboxOptions {
  /** Where the development PKI, sandbox.json, the client config and sandbox.log live. */
  readonly stateDir: string;
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Fixed ports: each module role listens on portBase + its offset. Omit for ephemeral ports. */
  readonly portBase?: number;
  readonly clock?: Clock;
  /** Also receives every sandbox log entry (already scrubbed of secrets). */
  readonly log?: Logger;
  readonly modules: readonly SandboxModule[];
  /** Seed of the modules' fault-injection randomness (default: a fixed seed, so runs repeat). */
  readonly seed?: string | number;
  /**
   * The exchange journal the console shows (each request a listener received and its reply):
   * its bounds, or `false` to keep none. Default: the last 200 exchanges, 256 KiB of body each.
   */
  readonly journal?: ExchangeJournalOptions | false;
  /** Connection faults of this instance (see faults.ts); default none. */
  readonly faults?: readonly SandboxFault[];
}

/** The content of `<stateDir>/sandbox.json`: file paths and URLs only, never a secret. */
export interface SandboxJson {
  readonly version: 1;
  readonly startedAt: string;
  readonly host: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly caFile: string;
  readonly platformSigningFile: string;
  readonly stsFile: string;
  readonly partner: {
    readonly cbe: string;
    readonly institution: string;
    readonly application: string;
    readonly oauthClientId: string;
    readonly files: SandboxPki['partner']['files'];
  };
  readonly modules: Readonly<
    Record<string, { readonly endpoints: Readonly<Record<string, string>>; readonly info?: unknown }>
  >;
  /** The same object as `<stateDir>/passerelle.config.json`. */
  readonly configFile: string;
  readonly clientConfig: Config;
  /** The connection faults the sandbox was started with (see faults.ts). */
  readonly faults: readonly SandboxFault[];
}

export interface RunningSandbox {
  readonly stateDir: string;
  readonly startedAt: string;
  readonly pki: SandboxPki;
  /** Every endpoint of every module, by name. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Each module's published facts, by module name. */
  readonly info: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly modules: Readonly<Record<string, StartedSandboxModule>>;
  /** A ConfigSchema-valid client configuration with `defaultEnv: 'sandbox'`. */
  readonly clientConfig: Config;
  readonly sandboxJsonPath: string;
  /** `<stateDir>/passerelle.config.json`, for `passerelle --config FILE --env sandbox`. */
  readonly configPath: string;
  /** The most recent sandbox log entries, oldest first. */
  recentLog(limit?: number): readonly SandboxLogEntry[];
  /** The most recent exchanges, newest first (see the `journal` option). */
  exchanges(limit?: number): readonly ExchangeSummary[];
  /** One exchange still in the journal, with its bodies and verification report. */
  exchange(id: string): ExchangeRecord | undefined;
  /** Stops every module and frees every port; safe to call more than once. */
  close(): Promise<void>;
}

const DEFAULT_SEED = 'passerelle-sandbox';

/**
 * Starts the sandbox: creates or reloads the development PKI of the state directory, starts
 * each module in order (ports, seeded randomness, the shared clock and the sandbox log), then
 * writes sandbox.json and the client configuration. A failing module stops the ones already
 * started and rejects with ERR_SANDBOX_START; an unusable state directory gives ERR_SANDBOX_STATE.
 */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const { host = '127.0.0.1', portBase, clock = systemClock, modules, seed = DEFAULT_SEED } = options;
  const faults = new Set(options.faults ?? []);
  const badFault = [...faults].find((f) => !isSandboxFault(f));
  if (badFault !== undefined) throw new TypeError(`startSandbox: unknown fault "${String(badFault)}"`);
  const names = modules.map((m) => m.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new TypeError(`startSandbox: module "${duplicate}" is given twice`);
  const allocate = portAllocator(modules, portBase);
  const journal = options.journal === false ? undefined : new _ExchangeJournal(clock, options.journal ?? {});
  const stateDir = resolve(options.stateDir);
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new PasserelleError('ERR_SANDBOX_STATE', `Cannot create the sandbox state directory ${stateDir}`, {
      hint: 'Give a writable --state-dir.',
      details: { stateDir },
      cause,
    });
  }

  const release = lockStateDir(join(stateDir, 'sandbox.lock'));
  let log: SandboxLog | undefined;
  const started: { name: string; module: StartedSandboxModule }[] = [];
  let closeFaults = async (): Promise<void> => {};
  const stopAll = async (): Promise<void> => {
    await closeFaults();
    const running = started.splice(0).reverse();
    const results = await Promise.allSettled(running.map((s) => s.module.close()));
    results.forEach((r, i) => {
      if (r.status === 'rejected')
        log
          ?.forModule('host')
          .warn({ module: running[i]?.name, error: r.reason }, 'module did not close cleanly');
    });
  };
  try {
    log = new SandboxLog(join(stateDir, 'sandbox.log'), clock, { mirror: options.log });
    const hostLog = log.forModule('host');
    const pki = await ensureSandboxPki({ dir: join(stateDir, 'pki'), clock, log: hostLog });
    const modulePki = await _faultPki(pki, faults, clock);
    const startedAt = isoNow(clock);
    const sandboxLog = log;
    const view: SandboxView = {
      startedAt,
      modules: () =>
        started.map((s) => ({
          name: s.name,
          endpoints: s.module.endpoints,
          stats: s.module.stats?.() ?? {},
        })),
      recentLog: (limit) => sandboxLog.recent(limit),
      moduleApi: (name) => started.find((s) => s.name === name)?.module.api,
      exchanges: (limit) => journal?.summaries(limit) ?? [],
      exchange: (id) => journal?.get(id),
      journalInfo: () => journal?.info() ?? { capacity: 0, maxEntryBytes: 0, recorded: 0, dropped: 0 },
    };

    for (const m of modules) {
      const ctx: SandboxModuleContext = {
        host,
        port: allocate(m),
        pki: modulePki,
        clock,
        log: log.forModule(m.name),
        stateDir,
        random: seededRandom(seed, m.name),
        sandbox: view,
        ...(journal === undefined ? {} : { journal }),
        faults,
      };
      try {
        started.push({ name: m.name, module: await m.start(ctx) });
      } catch (cause) {
        const reason = isPasserelleError(cause)
          ? `${cause.code}: ${cause.message}`
          : String((cause as Error)?.message ?? cause);
        hostLog.error({ module: m.name, reason }, 'module failed to start');
        throw new PasserelleError(
          'ERR_SANDBOX_START',
          `Sandbox module ${m.name} failed to start: ${reason}`,
          {
            hint:
              (cause as NodeJS.ErrnoException)?.code === 'EADDRINUSE'
                ? 'A port is taken: stop what uses it, or choose another --port-base (or none, for ephemeral ports).'
                : 'See the sandbox log in the state directory; run with --debug for the cause.',
            details: { module: m.name },
            cause,
          },
        );
      }
      hostLog.info({ module: m.name, endpoints: started.at(-1)?.module.endpoints }, 'module started');
    }

    const published: Record<string, string> = {};
    const info: Record<string, Readonly<Record<string, unknown>>> = {};
    const byName: Record<string, StartedSandboxModule> = {};
    for (const { name, module } of started) {
      for (const [key, url] of Object.entries(module.endpoints)) {
        if (key in published) {
          throw new PasserelleError(
            'ERR_SANDBOX_START',
            `Two sandbox modules publish the endpoint "${key}"`,
            {
              details: { endpoint: key, module: name },
            },
          );
        }
        published[key] = url;
      }
      info[name] = module.info ?? {};
      byName[name] = module;
    }
    const faulty = await _startFaultListeners(host, faults, published, hostLog);
    closeFaults = faulty.close;
    const { endpoints } = faulty;
    const clientConfig = buildClientConfig({
      stateDir,
      pki,
      endpoints,
      contributions: started.flatMap((s) => (s.module.clientConfig ? [s.module.clientConfig] : [])),
    });
    const sandboxJsonPath = join(stateDir, 'sandbox.json');
    const configPath = join(stateDir, 'passerelle.config.json');
    const { partner } = pki;
    const json: SandboxJson = {
      version: 1,
      startedAt,
      host,
      endpoints,
      caFile: pki.caFile,
      platformSigningFile: pki.platformSigningFile,
      stsFile: pki.stsFile,
      partner: {
        cbe: partner.cbe,
        institution: partner.institution,
        application: partner.application,
        oauthClientId: partner.oauthClientId,
        files: partner.files,
      },
      modules: Object.fromEntries(
        started.map(({ name, module }) => [
          name,
          { endpoints: module.endpoints, ...(module.info ? { info: module.info } : {}) },
        ]),
      ),
      configFile: configPath,
      clientConfig,
      faults: [...faults],
    };
    try {
      writeJsonAtomic(configPath, clientConfig);
      writeJsonAtomic(sandboxJsonPath, json);
    } catch (cause) {
      throw new PasserelleError('ERR_SANDBOX_STATE', `Cannot write ${sandboxJsonPath}`, {
        details: { stateDir },
        cause,
      });
    }
    hostLog.info({ stateDir, modules: names, endpoints: Object.keys(endpoints).length }, 'sandbox ready');

    let closing: Promise<void> | undefined;
    return {
      stateDir,
      startedAt,
      pki,
      endpoints,
      info,
      modules: byName,
      clientConfig,
      sandboxJsonPath,
      configPath,
      recentLog: (limit = 100) => sandboxLog.recent(limit),
      exchanges: (limit = 200) => view.exchanges(limit),
      exchange: (id) => view.exchange(id),
      close() {
        closing ??= (async () => {
          await stopAll();
          hostLog.info({}, 'sandbox stopped');
          sandboxLog.close();
          release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopAll();
    log?.close();
    release();
    throw error;
  }
}
