import { readSecret } from '../config/secret.ts';
import { PasserelleError } from '../errors.ts';
import type { CertPasswordOptions } from './commands/cert.ts';
import type { CommandContext } from './context.ts';

/** The password named by --password-env / --password-file, or undefined when neither is given. */
export async function resolvePassword(
  ctx: CommandContext,
  opts: CertPasswordOptions,
): Promise<string | undefined> {
  if (opts.passwordEnv && opts.passwordFile) {
    throw new PasserelleError('ERR_USAGE', 'Give either --password-env or --password-file, not both', {
      hint: 'Keep the one that names the password.',
    });
  }
  if (opts.passwordEnv)
    return readSecret(
      { env: opts.passwordEnv },
      { baseDir: ctx.cwd, env: ctx.processEnv, setting: '--password-env' },
    );
  if (opts.passwordFile)
    return readSecret(
      { file: opts.passwordFile },
      { baseDir: ctx.cwd, env: ctx.processEnv, setting: '--password-file' },
    );
  return undefined;
}
