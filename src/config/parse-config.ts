import type { z } from 'zod';
import { PasserelleError } from '../errors.ts';
import { type Config, ConfigSchema } from './schema.ts';

/**
 * Parses and validates configuration text (JSON or YAML, chosen by the file name). The YAML
 * reader loads only for a YAML file, so that a JSON configuration starts the CLI faster.
 */
export async function parseConfigText(text: string, path: string): Promise<Config> {
  const yaml = /\.ya?ml$/i.test(path);
  const parseYaml = yaml ? (await import('yaml')).parse : undefined;
  let raw: unknown;
  try {
    raw = parseYaml ? parseYaml(text, { maxAliasCount: 50 }) : JSON.parse(text);
  } catch (cause) {
    throw new PasserelleError(
      'ERR_CONFIG_UNREADABLE',
      `Configuration file ${path} is not valid ${yaml ? 'YAML' : 'JSON'}`,
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
