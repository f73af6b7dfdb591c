import { endpointUrl, type ResolvedEnvironment } from '../config/environment.ts';
import { resolvePath } from '../config/paths.ts';
import { readSecret } from '../config/secret.ts';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { connectSftp } from './connect-sftp.ts';
import type { SftpSession } from './session.ts';

export interface ConnectSftpEnvironmentOptions {
  readonly logger?: Logger;
  /** Where `{ env }` secrets are looked up; default process.env. */
  readonly processEnv?: NodeJS.ProcessEnv;
}

const missing = (env: ResolvedEnvironment, key: string, what: string) =>
  new PasserelleError('ERR_CONFIG_INVALID', `Environment "${env.name}" has no SFTP ${what}`, {
    hint: `Set environments.${env.name}.sftp.${key} in the configuration.`,
    details: { env: env.name, setting: `environments.${env.name}.sftp.${key}` },
  });

/**
 * Opens an SFTP session for an environment: the `sftp` endpoint (`sftp://host[:port]`), and
 * `sftp.user`, `sftp.key` (+ `keyPassword`), `sftp.hostKeys`, `keepaliveSeconds`,
 * `timeoutSeconds`. Missing settings are ERR_CONFIG_ENDPOINT_MISSING / ERR_CONFIG_INVALID;
 * an unset passphrase ERR_CONFIG_SECRET_MISSING; then as connectSftp.
 */
export async function connectSftpEnvironment(
  env: ResolvedEnvironment,
  { logger, processEnv = process.env }: ConnectSftpEnvironmentOptions = {},
): Promise<SftpSession> {
  const url = new URL(endpointUrl(env, 'sftp'));
  if (url.protocol !== 'sftp:')
    throw new PasserelleError(
      'ERR_CONFIG_INVALID',
      `The sftp endpoint of "${env.name}" is not an sftp: URL`,
      {
        hint: `Set environments.${env.name}.endpoints.sftp to sftp://host:port.`,
        details: { env: env.name, endpoint: 'sftp' },
      },
    );
  const sftp = env.sftp ?? {};
  if (!sftp.user) throw missing(env, 'user', 'account (user)');
  if (!sftp.key) throw missing(env, 'key', 'private key (key)');
  const passphrase = sftp.keyPassword
    ? await readSecret(sftp.keyPassword, {
        baseDir: env.baseDir,
        env: processEnv,
        setting: `environments.${env.name}.sftp.keyPassword`,
      })
    : undefined;
  return connectSftp({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 22,
    username: sftp.user,
    privateKey: { file: resolvePath(env.baseDir, sftp.key) },
    ...(passphrase === undefined ? {} : { passphrase }),
    hostKeys: sftp.hostKeys ?? [],
    ...(sftp.keepaliveSeconds === undefined ? {} : { keepaliveSeconds: sftp.keepaliveSeconds }),
    ...(sftp.timeoutSeconds === undefined ? {} : { timeoutSeconds: sftp.timeoutSeconds }),
    ...(logger === undefined ? {} : { logger }),
  });
}
