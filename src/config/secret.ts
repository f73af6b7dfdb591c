import { readFile } from 'node:fs/promises';
import { PasserelleError } from '../errors.ts';
import { resolvePath } from './paths.ts';
import type { SecretRef } from './schema.ts';

/**
 * Reads a secret named by the configuration: an environment variable or a file (one trailing
 * newline is dropped). The value is never included in an error.
 */
export async function readSecret(
  ref: SecretRef,
  { baseDir = process.cwd(), env = process.env }: { baseDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new PasserelleError('ERR_CONFIG_SECRET_MISSING', `Environment variable ${ref.env} is not set`, {
        hint: `Export ${ref.env} with the password, or name a password file in the configuration.`,
        details: { variable: ref.env },
      });
    }
    return value;
  }
  const path = resolvePath(baseDir, ref.file);
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (cause) {
    throw new PasserelleError('ERR_CONFIG_SECRET_MISSING', `Cannot read the password file ${path}`, {
      hint: 'Check the path and its permissions (it should be readable by this user only).',
      details: { path },
      cause,
    });
  }
}
