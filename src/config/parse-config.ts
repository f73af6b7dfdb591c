import { parse as parseYaml } from 'yaml';
import type { Config } from './schema.ts';
import { configSyntaxError, parseJsonConfig, validateConfig } from './validate-config.ts';

/** Parses and validates configuration text (JSON or YAML, chosen by the file name). */
export function parseConfigText(text: string, path: string): Config {
  if (!/\.ya?ml$/i.test(path)) return parseJsonConfig(text, path);
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch (cause) {
    throw configSyntaxError(path, 'YAML', cause);
  }
  return validateConfig(raw, path);
}
