import type { X509Certificate } from 'node:crypto';
import type { Clock } from '../clock.ts';
import {
  credentialRef,
  credentialSetting,
  endpointUrl,
  type ResolvedEnvironment,
} from '../config/environment.ts';
import { PasserelleError } from '../errors.ts';
import { createHttpClient } from '../oauth/create-http-client.ts';
import { createOAuthClient, type OAuthClient } from '../oauth/create-oauth-client.ts';
import type { TokenCache } from '../oauth/token-cache.ts';
import type { HttpClient } from '../oauth/types.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { loadServerCa } from '../pki/load-trust.ts';
import type { TraceRecorder } from '../transport/trace-types.ts';

export interface _OAuthSessionOptions {
  readonly clientId: string | undefined;
  /** What the missing client id's hint suggests (e.g. "the client registered for eBox publication"). */
  readonly clientIdHint: string;
  readonly scope: string | undefined;
  readonly clock: Clock;
  readonly processEnv: NodeJS.ProcessEnv;
  readonly http?: HttpClient | undefined;
  readonly cache?: TokenCache | undefined;
  readonly trace?: TraceRecorder | undefined;
}

export interface _OAuthSession {
  readonly oauth: OAuthClient;
  readonly http: HttpClient;
  /** The certificate whose key signs the client assertions (the OAuth registration). */
  readonly certificate: X509Certificate;
  /** Closes the HTTP client when this session made it. */
  close(): Promise<void>;
}

/**
 * What every REST service of an environment needs: the OAuth client id (ERR_CONFIG_INVALID
 * without one), the OAuth certificate, the TLS client certificate when configured (extranet)
 * and the server CA, loaded once; an HTTP client (unless one is given) and the OAuth v5 client
 * with the token endpoint (or the metadata to discover it), audience and algorithm configured.
 */
export async function _openOAuthSession(
  env: ResolvedEnvironment,
  options: _OAuthSessionOptions,
): Promise<_OAuthSession> {
  const { clientId, clock, processEnv, scope } = options;
  if (clientId === undefined) {
    throw new PasserelleError('ERR_CONFIG_INVALID', `Environment "${env.name}" has no OAuth client id`, {
      hint: `Set environments.${env.name}.oauth.clientId (${options.clientIdHint}) or pass --client-id.`,
      details: { env: env.name },
    });
  }
  const tokenEndpoint = env.endpoints['oauth.token']?.url;
  const metadataUrl = env.endpoints['oauth.metadata']?.url;
  if (tokenEndpoint === undefined && metadataUrl === undefined) endpointUrl(env, 'oauth.token');
  const load = (role: 'oauth' | 'tls') => ({
    baseDir: env.baseDir,
    env: processEnv,
    setting: credentialSetting(env, role),
  });
  const [credential, tls, ca] = await Promise.all([
    loadCredential(credentialRef(env, 'oauth'), load('oauth')),
    options.http === undefined && env.credentials.tls !== undefined
      ? loadCredential(credentialRef(env, 'tls'), load('tls'))
      : undefined,
    options.http === undefined ? loadServerCa(env) : undefined,
  ]);
  const http =
    options.http ??
    createHttpClient({
      clock,
      ...(tls === undefined ? {} : { credential: tls }),
      ...(ca === undefined ? {} : { ca }),
      ...(options.trace === undefined ? {} : { trace: options.trace }),
    });
  const oauth = createOAuthClient({
    clientId,
    credential,
    http,
    clock,
    ...(tokenEndpoint === undefined ? {} : { tokenEndpoint }),
    ...(metadataUrl === undefined ? {} : { metadataUrl }),
    ...(env.oauth.audience === undefined ? {} : { audience: env.oauth.audience }),
    ...(env.oauth.alg === undefined ? {} : { alg: env.oauth.alg }),
    ...(scope === undefined ? {} : { scope }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  });
  return {
    oauth,
    http,
    certificate: credential.certificate,
    close: () => (options.http === undefined ? http.close() : Promise.resolve()),
  };
}
