import { resolve } from 'node:path';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { ResolvedEnvironment } from '../config/environment.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { TraceRecorder } from '../transport/trace-types.ts';
import type { Io } from './output.ts';
import { formatTraceLine } from './trace-line.ts';

/** Global options every command accepts. */
export interface GlobalOptions {
  config?: string;
  env?: string;
  json?: boolean;
  debug?: boolean;
  /** Directory where every HTTP exchange of the command is recorded (`--trace DIR`). */
  trace?: string;
}

/** What a command's implementation receives. */
export interface CommandContext {
  readonly io: Io;
  readonly json: boolean;
  readonly debug: boolean;
  readonly clock: Clock;
  readonly cwd: string;
  readonly processEnv: NodeJS.ProcessEnv;
  readonly globals: GlobalOptions;
  /** Loads the configuration once (lazily: commands that need none never read a file). */
  config(): Promise<LoadedConfig>;
  /** The selected environment (`--env`, else PASSERELLE_ENV, else the file's default, else test). */
  environment(): Promise<ResolvedEnvironment>;
  /**
   * The trace recorder of `--trace DIR` (created on first use, the same one afterwards), or
   * undefined without `--trace`. Network commands hand it to createServiceContext,
   * createStsSession or createRestService. Each exchange prints one line on stderr, except
   * under `--json` (stdout stays one JSON document; the details are in DIR). Loaded lazily, so
   * that commands without network load no transport code.
   */
  trace(): Promise<TraceRecorder | undefined>;
}

export function createContext(
  io: Io,
  globals: GlobalOptions,
  {
    clock = systemClock,
    cwd = process.cwd(),
    processEnv = process.env,
  }: { clock?: Clock; cwd?: string; processEnv?: NodeJS.ProcessEnv } = {},
): CommandContext {
  // The configuration code (zod, yaml) is loaded with the first command that reads the
  // configuration, so that `--help` and `cert inspect` start without it.
  let loaded: Promise<LoadedConfig> | undefined;
  let recorder: Promise<TraceRecorder> | undefined;
  const json = globals.json === true;
  const config = () => {
    loaded ??= import('../config/load.ts').then(({ loadConfig }) =>
      loadConfig({ path: globals.config, cwd, env: processEnv }),
    );
    return loaded;
  };
  return {
    io,
    json,
    debug: globals.debug === true,
    clock,
    cwd,
    processEnv,
    globals,
    config,
    environment: async () => {
      const { resolveEnvironment } = await import('../config/environment.ts');
      return resolveEnvironment(await config(), globals.env, processEnv);
    },
    trace: async () => {
      const dir = globals.trace;
      if (dir === undefined) return undefined;
      recorder ??= import('../transport/trace-recorder.ts').then(({ createTraceRecorder }) =>
        createTraceRecorder({
          dir: resolve(cwd, dir),
          clock,
          ...(json ? {} : { onExchange: (exchange) => io.err(formatTraceLine(exchange)) }),
        }),
      );
      return recorder;
    },
  };
}
