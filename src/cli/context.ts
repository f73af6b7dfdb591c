import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { ResolvedEnvironment } from '../config/environment.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Io } from './output.ts';

/** Global options every command accepts. */
export interface GlobalOptions {
  config?: string;
  env?: string;
  json?: boolean;
  debug?: boolean;
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
  const config = () => {
    loaded ??= import('../config/load.ts').then(({ loadConfig }) =>
      loadConfig({ path: globals.config, cwd, env: processEnv }),
    );
    return loaded;
  };
  return {
    io,
    json: globals.json === true,
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
  };
}
