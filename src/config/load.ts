import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { PasserelleError } from '../errors.ts';
import { type Config, ConfigSchema } from './schema.ts';

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
    throw new PasserelleError('ERR_CONFIG_UNREADABLE', `Cannot read configuration file ${path}`, {
      hint: 'Check that the file exists and is readable by this user.',
      details: { path },
      cause,
    });
  }
  return { config: parseConfigText(text, path), path, baseDir: dirname(path) };
}

/** Parses and validates configuration text (JSON or YAML, chosen by the file name). */
export function parseConfigText(text: string, path: string): Config {
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text, { maxAliasCount: 50 }) : JSON.parse(text);
  } catch (cause) {
    throw new PasserelleError(
      'ERR_CONFIG_UNREADABLE',
      `Configuration file ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}`,
      {
        hint: 'Fix the syntax error; the cause is shown with --debug.',
        details: { path },
        cause,
      },
    );
  }
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new PasserelleError(
      'ERR_CONFIG_INVALID',
      `Configuration file ${path} is invalid: ${formatIssues(parsed.error)}`,
      {
        hint: 'See docs/configuration.md for the schema.',
        details: { path },
      },
    );
  }
  return parsed.data;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export function resolvePath(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}
