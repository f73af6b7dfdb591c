import { readFile } from 'node:fs/promises';
import { PasserelleError } from '../errors.ts';
import { describeFileFailure } from '../input-file.ts';
import { resolvePath } from './paths.ts';
import type { SecretRef } from './schema.ts';

export interface ReadSecretOptions {
  /** Relative files resolve from here; default: cwd. */
  baseDir?: string;
  /** Where `{ env }` is looked up; default: process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The flag or configuration key that named the secret (`--password-file`,
   * `environments.acpt.credentials.tls.password`), for the hint.
   */
  setting?: string;
}

/**
 * Reads a secret named by the configuration: an environment variable or a file (one trailing
 * newline is dropped). The value is never included in an error.
 */
export async function readSecret(
  ref: SecretRef,
  { baseDir = process.cwd(), env = process.env, setting }: ReadSecretOptions = {},
): Promise<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new PasserelleError('ERR_CONFIG_SECRET_MISSING', `Environment variable ${ref.env} is not set`, {
        hint:
          setting === undefined
            ? `Export ${ref.env} with the password, or name a password file in the configuration.`
            : `Export ${ref.env} with the password, or change ${setting}.`,
        details: { variable: ref.env, ...(setting === undefined ? {} : { setting }) },
      });
    }
    return value;
  }
  const path = resolvePath(baseDir, ref.file);
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (cause) {
    const { errno, reason, hint } = describeFileFailure(cause, path, setting);
    throw new PasserelleError(
      'ERR_CONFIG_SECRET_MISSING',
      `Cannot read the password file ${path}: ${reason}`,
      {
        hint:
          setting === undefined
            ? 'Check the path and its permissions (it should be readable by this user only).'
            : `${hint} It should be readable by this user only.`,
        details: { path, errno, ...(setting === undefined ? {} : { setting }) },
        cause,
      },
    );
  }
}
