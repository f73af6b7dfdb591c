import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import { resolvePath } from '../config/paths.ts';
import type { SandboxMssConfig } from '../config/sandbox-mss-schema.ts';
import { PasserelleError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import type { Logger } from '../log.ts';
import type { SandboxFault } from '../sandbox/faults.ts';
import type { RunningSandbox } from '../sandbox/host.ts';
import type { SandboxModule } from '../sandbox/module.ts';
import type { DefaultModulesOptions } from '../sandbox/modules.ts';
import type { MssModuleOptions } from '../sandbox/mss/module.ts';
import type { CommandContext } from './context.ts';
import { untilStopped } from './until-stopped.ts';

export interface SandboxCommandOptions {
  readonly stateDir?: string;
  readonly host?: string;
  readonly portBase?: string;
  readonly seed?: string;
  /** Contracts to serve (--contract), besides the configuration's `sandbox.contracts`. */
  readonly contract?: readonly string[];
  /** Scenario files (--scenarios), each for the contract its `contract:` key names. */
  readonly scenarios?: readonly string[];
  /** Connection faults (--fault), see src/sandbox/faults.ts. */
  readonly fault?: readonly string[];
}

export const DEFAULT_STATE_DIR = '.passerelle-sandbox';

/** `passerelle sandbox`: runs until SIGINT or SIGTERM, then stops cleanly and exits 0. */
export function sandboxCommand(ctx: CommandContext, opts: SandboxCommandOptions): Promise<number> {
  return untilStopped((signal) => serveSandbox(ctx, opts, signal));
}

async function parseFaults(values: readonly string[] = []): Promise<SandboxFault[]> {
  const { isSandboxFault, SANDBOX_FAULTS } = await import('../sandbox/faults.ts');
  const unknown = values.find((v) => !isSandboxFault(v));
  if (unknown !== undefined) {
    throw new PasserelleError('ERR_USAGE', `--fault: unknown mode "${unknown}"`, {
      hint: `Choose among ${SANDBOX_FAULTS.join(', ')}.`,
      details: { fault: unknown },
    });
  }
  return [...new Set(values as SandboxFault[])];
}

function parsePortBase(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 65435)) {
    throw new PasserelleError(
      'ERR_USAGE',
      `--port-base must be a port number from 1 to 65435, not "${value}"`,
      {
        hint: 'Each module role listens on port-base + its offset (0..99); omit --port-base for ephemeral ports.',
      },
    );
  }
  return n;
}

async function stateDirOf(ctx: CommandContext, opts: SandboxCommandOptions): Promise<string> {
  if (opts.stateDir !== undefined) return resolve(ctx.cwd, opts.stateDir);
  const loaded = await ctx.config();
  return loaded.config.stateDir
    ? resolvePath(loaded.baseDir, loaded.config.stateDir)
    : resolve(ctx.cwd, DEFAULT_STATE_DIR);
}

/** `sandbox.mss` as the module takes it: trust anchors and the introspection secret read from their files. */
async function _mssOptions(mss: SandboxMssConfig, loaded: LoadedConfig): Promise<MssModuleOptions> {
  const { relay, introspection, ...rest } = mss;
  const read = async (file: string, what: string, setting: string) =>
    (await readInputFile(resolvePath(loaded.baseDir, file), { what, setting })).toString('utf8');
  const out: { -readonly [K in keyof MssModuleOptions]: MssModuleOptions[K] } = { ...rest };
  if (relay !== undefined) {
    const { caFile, ...next } = relay;
    out.relay =
      caFile === undefined
        ? next
        : { ...next, ca: await read(caFile, 'relay trust file', 'sandbox.mss.relay.caFile') };
  }
  if (introspection !== undefined) {
    const { caFile, clientSecretFile, ...next } = introspection;
    out.introspection = {
      ...next,
      ca: await read(caFile, 'introspection trust file', 'sandbox.mss.introspection.caFile'),
      clientSecret: (
        await read(
          clientSecretFile,
          'introspection secret file',
          'sandbox.mss.introspection.clientSecretFile',
        )
      ).trim(),
    };
  }
  return out;
}

/**
 * The modules of `passerelle sandbox`, with the eBox registries and fault injection of the
 * configuration's `sandbox.ebox` and the SFTP settings of `sandbox.sftp` (when a configuration
 * file is used); a bad check digit, fault rates over 1 in all, or an unreadable authorized key
 * is ERR_CONFIG_INVALID.
 */
async function _modules(
  ctx: CommandContext,
  opts: SandboxCommandOptions,
  defaultModules: (options?: DefaultModulesOptions) => SandboxModule[],
): Promise<SandboxModule[]> {
  const loaded = await ctx.config();
  const { ebox, sftp, mss } = loaded.config.sandbox ?? {};
  const contracts = await _contracts(ctx, opts);
  const { faults, ...registries } = ebox ?? {};
  try {
    return defaultModules({
      ...(ebox === undefined ? {} : { ebox: { registries, ...(faults === undefined ? {} : { faults }) } }),
      ...(sftp === undefined ? {} : { sftp }),
      ...(mss === undefined ? {} : { mss: await _mssOptions(mss, loaded) }),
      ...(contracts === undefined ? {} : { contracts }),
    });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const setting = error.message.startsWith('sftpModule: ')
      ? 'sandbox.sftp'
      : error.message.startsWith('mssModule: ')
        ? 'sandbox.mss'
        : 'sandbox.ebox';
    throw new PasserelleError(
      'ERR_CONFIG_INVALID',
      `${setting}: ${error.message.replace(/^(ebox|sftp|mss)Module: /, '')}`,
      {
        hint:
          setting === 'sandbox.sftp'
            ? 'Fix the entry named (sandbox.sftp in the configuration file): authorizedKeys are OpenSSH public key lines (ssh-ed25519 AAAA…).'
            : setting === 'sandbox.mss'
              ? 'Fix sandbox.mss in the configuration file: each mailbox belongs to one professional or applicative account.'
              : 'Fix the entry named (sandbox.ebox in the configuration file): CBE and INSS numbers with valid check digits; fault rates from 0 to 1, transient + reset + lostReply at most 1.',
        details: { setting, ...(loaded.path === undefined ? {} : { file: loaded.path }) },
      },
    );
  }
}

/**
 * The contracts to serve: the configuration's `sandbox.contracts` (paths relative to the
 * configuration file) and --contract files (relative to the current directory), with the
 * --scenarios files each paired by the contract its `contract:` key names. None: undefined.
 */
async function _contracts(ctx: CommandContext, opts: SandboxCommandOptions) {
  const loaded = await ctx.config();
  const entries = [
    ...(loaded.config.sandbox?.contracts ?? []).map((c) => ({
      ...c,
      file: resolvePath(loaded.baseDir, c.file),
      ...(c.scenarios === undefined ? {} : { scenarios: resolvePath(loaded.baseDir, c.scenarios) }),
    })),
    ...(opts.contract ?? []).map((file) => ({ file: resolve(ctx.cwd, file) })),
  ];
  const scenarios = (opts.scenarios ?? []).map((file) => resolve(ctx.cwd, file));
  if (entries.length === 0 && scenarios.length === 0) return undefined;
  const { loadSandboxContracts } = await import('../sandbox/contracts/index.ts');
  return loadSandboxContracts(entries, { scenarios });
}

/** Shows the sandbox's warnings and errors (rejection reasons, already secret-free) on stderr. */
function consoleMirror(ctx: CommandContext): Logger {
  const line = (level: string) => (fields: Record<string, unknown>, msg: string) => {
    const { module, ...rest } = fields;
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    ctx.io.err(`[sandbox] ${level} ${String(module)}: ${msg}${extra}`);
  };
  const ignore = () => {};
  return { debug: ignore, info: ignore, warn: line('warn'), error: line('error') };
}

/**
 * The body of `passerelle sandbox`, testable in-process: starts the sandbox, prints the ready
 * line (`--json`) or a summary, waits until `signal` aborts, then closes it. `onReady` is
 * called once the sandbox is up (tests use it instead of parsing the output).
 */
export async function serveSandbox(
  ctx: CommandContext,
  opts: SandboxCommandOptions,
  signal: AbortSignal,
  onReady?: (sandbox: RunningSandbox) => void,
): Promise<number> {
  const portBase = parsePortBase(opts.portBase);
  const faults = await parseFaults(opts.fault);
  const stateDir = await stateDirOf(ctx, opts);
  const [{ startSandbox }, { defaultModules }] = await Promise.all([
    import('../sandbox/host.ts'),
    import('../sandbox/modules.ts'),
  ]);
  if (signal.aborted) return 0;
  const sandbox = await startSandbox({
    stateDir,
    host: opts.host ?? '127.0.0.1',
    ...(portBase === undefined ? {} : { portBase }),
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(faults.length === 0 ? {} : { faults }),
    clock: ctx.clock,
    modules: await _modules(ctx, opts, defaultModules),
    ...(ctx.json ? {} : { log: consoleMirror(ctx) }),
  });
  try {
    if (ctx.json) {
      ctx.io.out(
        JSON.stringify({
          ok: true,
          event: 'ready',
          stateDir: sandbox.stateDir,
          endpoints: sandbox.endpoints,
          config: sandbox.configPath,
          sandboxJson: sandbox.sandboxJsonPath,
          ...(faults.length === 0 ? {} : { faults }),
        }),
      );
    } else {
      const rows: [string, string][] = [
        ...Object.entries(sandbox.endpoints),
        ['state dir', sandbox.stateDir],
        ['CA', sandbox.pki.caFile],
        ['client config', sandbox.configPath],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      ctx.io.out(
        [
          `Passerelle sandbox ready (modules: ${Object.keys(sandbox.modules).join(', ')})`,
          ...(faults.length === 0 ? [] : [`  FAULTS: ${faults.join(', ')}`]),
          ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
          `Use it with: passerelle --config ${sandbox.configPath} --env sandbox <command>`,
          'Press Ctrl+C to stop.',
        ].join('\n'),
      );
    }
    onReady?.(sandbox);
    await new Promise<void>((done) => {
      if (signal.aborted) done();
      else signal.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    await sandbox.close();
  }
  ctx.io.out(
    ctx.json
      ? JSON.stringify({ ok: true, event: 'stopped', stateDir: sandbox.stateDir })
      : 'Sandbox stopped.',
  );
  return 0;
}
