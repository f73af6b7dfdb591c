import type { Clock } from '../clock.ts';
import type { ResolvedEnvironment } from '../config/environment.ts';
import { isPasserelleError } from '../errors.ts';
import { testConnection } from '../services/cbss/test-connection.ts';
import { createRestService } from '../services/rest/create-rest-service.ts';
import { createServiceContext } from '../services/service-context.ts';
import { connectSftpEnvironment } from '../sftp/connect-environment.ts';
import { type _ErrorMapper, _Finding, type _Outcome, _withTimeout } from './_check.ts';
import type { OnboardingStep } from './types.ts';

const timeoutFinding = (what: string, ms: number, step: OnboardingStep) =>
  new _Finding(
    'ERR_TRANSPORT_TIMEOUT',
    `${what}: no answer within ${ms} ms`,
    step,
    'Retry later; if it persists, tell the platform service desk.',
  );

/** The signed TestConnectionService call (`passerelle call cbss:test-connection`). */
export async function _testCallOutcome(
  env: ResolvedEnvironment,
  clock: Clock,
  processEnv: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<_Outcome> {
  if (env.endpoints['cbss.soap'] === undefined) return { detail: 'no cbss.soap endpoint', skipped: true };
  if (env.credentials.signing === undefined)
    return { detail: `no environments.${env.name}.credentials.signing to sign the test call`, skipped: true };
  const services = await createServiceContext(env, { clock, processEnv });
  try {
    const result = await testConnection(services, 'passerelle doctor', {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      detail: `echo returned${result.sslCertificate === undefined ? '' : `; the platform saw "${result.sslCertificate}"`}`,
    };
  } finally {
    await services.close();
  }
}

/** Errors of the test call: a SOAP fault is service access; a reply signature, certificates. */
export const _testCallErrors =
  (env: ResolvedEnvironment, timeoutMs: number): _ErrorMapper =>
  (error) => {
    if ((error as Error)?.name === 'TimeoutError') return timeoutFinding('The test call', timeoutMs, 5);
    if (!isPasserelleError(error))
      return new _Finding('ERR_INTERNAL', 'The test call failed unexpectedly', 5, 'Rerun with --debug.');
    if (error.code === 'ERR_SOAP_FAULT') {
      const soa = error.details['soaCode'];
      return new _Finding(
        error.code,
        error.message,
        5,
        `The platform refused the test call${soa === undefined ? '' : ` (${String(soa)})`}: ask it to grant environments.${env.name}'s application access to TestConnectionService (onboarding step 5). ${error.hint}`,
      );
    }
    if (error.code.startsWith('ERR_WSS_'))
      return new _Finding(
        error.code,
        error.message,
        3,
        `Check environments.${env.name}.trust.platformSigning: ${error.hint}`,
      );
    if (error.code === 'ERR_TRANSPORT_TIMEOUT') return timeoutFinding('The test call', timeoutMs, 5);
    return new _Finding(error.code, error.message, 5, error.hint);
  };

/** One OAuth token from the environment's authorization server (`passerelle oauth token`). */
export async function _oauthOutcome(
  env: ResolvedEnvironment,
  clock: Clock,
  processEnv: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<_Outcome> {
  if (env.oauth.clientId === undefined)
    return { detail: `no environments.${env.name}.oauth.clientId`, skipped: true };
  if (env.credentials.oauth === undefined)
    return { detail: `no environments.${env.name}.credentials.oauth`, skipped: true };
  if (env.endpoints['oauth.token'] === undefined && env.endpoints['oauth.metadata'] === undefined)
    return { detail: 'no oauth.token or oauth.metadata endpoint', skipped: true };
  const service = await createRestService(env, { clock, processEnv });
  try {
    const token = await _withTimeout(service.oauth.getToken(), timeoutMs, () =>
      timeoutFinding('The token request', timeoutMs, 4),
    );
    return {
      detail: `token for client ${service.oauth.clientId}, ${token.tokenType}, expires in ${token.expiresIn} s (fingerprint ${token.fingerprint})`,
    };
  } finally {
    await service.close();
  }
}

export const _oauthErrors =
  (env: ResolvedEnvironment): _ErrorMapper =>
  (error) => {
    if (!isPasserelleError(error))
      return new _Finding('ERR_INTERNAL', 'The token request failed unexpectedly', 4, 'Rerun with --debug.');
    if (error.code === 'ERR_OAUTH_INVALID_CLIENT' || error.code === 'ERR_OAUTH_UNAUTHORIZED_CLIENT') {
      return new _Finding(
        error.code,
        error.message,
        4,
        `The authorization server does not know client "${env.oauth.clientId ?? ''}" or refuses its key: ask the platform's access management to register that client id with the certificate of environments.${env.name}.credentials.oauth (onboarding step 4).`,
      );
    }
    if (error.code === 'ERR_OAUTH_INVALID_SCOPE')
      return new _Finding(
        error.code,
        error.message,
        4,
        `Ask access management to grant environments.${env.name}.oauth.scope to the client (onboarding step 4).`,
      );
    return new _Finding(error.code, error.message, error.code.startsWith('ERR_PKI_') ? 3 : 4, error.hint);
  };

/** SFTP login with the environment's account, when one is configured. */
export async function _sftpOutcome(
  env: ResolvedEnvironment,
  processEnv: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<_Outcome> {
  if (env.endpoints.sftp === undefined || env.sftp?.user === undefined)
    return { detail: 'no SFTP account configured', skipped: true };
  const session = await _withTimeout(connectSftpEnvironment(env, { processEnv }), timeoutMs, () =>
    timeoutFinding('The SFTP login', timeoutMs, 5),
  );
  await session.close();
  return { detail: `logged in as ${env.sftp.user}` };
}

export const _sftpErrors =
  (env: ResolvedEnvironment): _ErrorMapper =>
  (error) => {
    if (!isPasserelleError(error))
      return new _Finding('ERR_INTERNAL', 'The SFTP login failed unexpectedly', 5, 'Rerun with --debug.');
    const step: OnboardingStep =
      error.code === 'ERR_SFTP_AUTH_FAILED' ||
      error.code.startsWith('ERR_SFTP_HOST_KEY') ||
      error.code === 'ERR_SFTP_KEY_UNREADABLE'
        ? 3
        : error.code === 'ERR_SFTP_CONNECT' || error.code === 'ERR_SFTP_TIMEOUT'
          ? 2
          : 5;
    return new _Finding(error.code, error.message, step, `${error.hint} (environments.${env.name}.sftp)`);
  };

/** `GET /{api}/health` on `cbss.rest` with a token (`passerelle rest health`): UP or DEGRADED. */
export async function _restHealthOutcome(
  env: ResolvedEnvironment,
  api: string,
  clock: Clock,
  processEnv: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<_Outcome> {
  const service = await createRestService(env, { clock, processEnv });
  try {
    const health = await _withTimeout(service.health(api), timeoutMs, () =>
      timeoutFinding(`GET /${api}/health`, timeoutMs, 5),
    );
    if (health.status === 'DOWN') {
      throw new _Finding(
        'ERR_REST_UNHEALTHY',
        `The ${api} API reports DOWN (HTTP ${health.httpStatus})`,
        5,
        `The service is down on the platform side: retry later, or ask the platform service desk about ${api}.`,
      );
    }
    return { detail: `${api}: ${health.status}` };
  } finally {
    await service.close();
  }
}

export const _restErrors =
  (env: ResolvedEnvironment, api: string): _ErrorMapper =>
  (error) => {
    if (!isPasserelleError(error))
      return new _Finding('ERR_INTERNAL', 'The health call failed unexpectedly', 5, 'Rerun with --debug.');
    if (error.code === 'ERR_REST_UNAUTHORIZED' || error.code === 'ERR_REST_FORBIDDEN') {
      return new _Finding(
        error.code,
        error.message,
        5,
        `Ask the platform to grant client "${env.oauth.clientId ?? ''}" access to the ${api} API (onboarding step 5); check environments.${env.name}.oauth.scope.`,
      );
    }
    return _oauthErrors(env)(error);
  };
