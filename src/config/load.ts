import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { describeFileFailure } from '../input-file.ts';
import type { Config } from './schema.ts';

export interface LoadedConfig {
  readonly config: Config;
  /** The file it came from, or undefined for the empty default configuration. */
  readonly path: string | undefined;
  /** Relative paths inside the file resolve against this directory. */
  readonly baseDir: string;
}

export const DEFAULT_CONFIG_FILES = [
  'passerelle.config.json',
  'passerelle.config.yaml',
  'passerelle.config.yml',
];

export interface LoadConfigOptions {
  /** Explicit file (`--config`). Missing explicit files are an error. */
  path?: string | undefined;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the configuration: `--config FILE`, else `PASSERELLE_CONFIG`, else the first
 * `passerelle.config.{json,yaml,yml}` in the working directory, else an empty configuration.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const { cwd = process.cwd(), env = process.env } = options;
  const explicit = options.path ?? env['PASSERELLE_CONFIG'];
  let path: string | undefined;
  if (explicit) {
    path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw new PasserelleError('ERR_CONFIG_NOT_FOUND', `Configuration file not found: ${path}`, {
        hint: 'Check the --config path or the PASSERELLE_CONFIG variable.',
        details: { path },
      });
    }
  } else {
    path = DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((p) => existsSync(p));
  }
  if (path === undefined) return { config: {}, path: undefined, baseDir: cwd };

  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const { errno, reason } = describeFileFailure(cause, path);
    throw new PasserelleError('ERR_CONFIG_UNREADABLE', `Cannot read configuration file ${path}: ${reason}`, {
      hint: explicit
        ? 'Name a readable configuration file with --config or PASSERELLE_CONFIG.'
        : `Make ${path} readable by this user, or name another file with --config or PASSERELLE_CONFIG.`,
      details: { path, errno },
      cause,
    });
  }
  // The schema (zod) loads only when there is a file to read, the YAML reader only for YAML.
  const config = /\.ya?ml$/i.test(path)
    ? (await import('./parse-config.ts')).parseConfigText(text, path)
    : (await import('./validate-config.ts')).parseJsonConfig(text, path);
  return { config, path, baseDir: dirname(path) };
}
