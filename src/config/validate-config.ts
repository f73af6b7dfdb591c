import type { z } from 'zod';
import { PasserelleError } from '../errors.ts';
import { type Config, ConfigSchema } from './schema.ts';

/** ERR_CONFIG_UNREADABLE for a file whose `kind` (JSON or YAML) syntax is broken. */
export function configSyntaxError(path: string, kind: 'JSON' | 'YAML', cause: unknown): PasserelleError {
  return new PasserelleError('ERR_CONFIG_UNREADABLE', `Configuration file ${path} is not valid ${kind}`, {
    hint: 'Fix the syntax error; the cause is shown with --debug.',
    details: { path },
    cause,
  });
}

/** Validates a parsed configuration against the schema: the Config, or ERR_CONFIG_INVALID. */
export function validateConfig(raw: unknown, path: string): Config {
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const keys = [
      ...new Set(parsed.error.issues.slice(0, 5).map((i) => (i.path.length ? i.path.join('.') : '(root)'))),
    ];
    throw new PasserelleError(
      'ERR_CONFIG_INVALID',
      `Configuration file ${path} is invalid: ${formatIssues(parsed.error)}`,
      {
        hint: `Fix ${keys.join(', ')} in ${path} (docs/configuration.md describes each setting).`,
        details: { path, keys },
      },
    );
  }
  return parsed.data;
}

/** A JSON configuration file's text, parsed and validated (no YAML reader loaded). */
export function parseJsonConfig(text: string, path: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw configSyntaxError(path, 'JSON', cause);
  }
  return validateConfig(raw, path);
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
