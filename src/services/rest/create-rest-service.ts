import { type Clock, systemClock } from '../../clock.ts';
import {
  credentialRef,
  credentialSetting,
  endpointUrl,
  type ResolvedEnvironment,
} from '../../config/environment.ts';
import { PasserelleError } from '../../errors.ts';
import { createHttpClient } from '../../oauth/create-http-client.ts';
import { createOAuthClient, type OAuthClient } from '../../oauth/create-oauth-client.ts';
import type { HttpClient } from '../../oauth/types.ts';
import { loadCredential } from '../../pki/load-credential.ts';
import { loadServerCa } from '../../pki/load-trust.ts';
import { createRestClient } from '../../rest/create-rest-client.ts';
import type { RestClient, RestRequestOptions, RestResponse } from '../../rest/types.ts';
import type { TraceRecorder } from '../../transport/trace-types.ts';
import { type RestHealth, restHealth } from './health.ts';

export interface CreateRestServiceOptions {
  /** Overrides `oauth.clientId` of the environment. */
  readonly clientId?: string;
  /** Overrides `oauth.scope` of the environment (omit both for the client's default scopes). */
  readonly scope?: string;
  readonly clock?: Clock;
  readonly processEnv?: NodeJS.ProcessEnv;
  /** Replaces the HTTP client built from `credentials.tls` and `trust.ca` (tests). */
  readonly http?: HttpClient;
  /** Records the exchanges (token requests and API calls) of the HTTP client built here. */
  readonly trace?: TraceRecorder | undefined;
}

export interface RestService {
  readonly oauth: OAuthClient;
  /** The REST client of `cbss.rest` (ERR_CONFIG_ENDPOINT_MISSING on first use if absent). */
  rest(): RestClient;
  health(api: string): Promise<RestHealth>;
  get(path: string, options: Omit<RestRequestOptions, 'method' | 'json'>): Promise<RestResponse>;
  close(): Promise<void>;
}

/**
 * The REST services of one environment (PROTOCOLS.md §6): loads the OAuth certificate (and,
 * when configured, the TLS client certificate for the extranet) and the CA once, then gives an
 * OAuth client (token endpoint `oauth.token`, else discovered from `oauth.metadata`) and a REST
 * client of `cbss.rest` sharing one HTTP pool. Close it when done.
 */
export async function createRestService(
  env: ResolvedEnvironment,
  options: CreateRestServiceOptions = {},
): Promise<RestService> {
  const { clock = systemClock, processEnv = process.env } = options;
  const clientId = options.clientId ?? env.oauth.clientId;
  if (clientId === undefined) {
    throw new PasserelleError('ERR_CONFIG_INVALID', `Environment "${env.name}" has no OAuth client id`, {
      hint: `Set environments.${env.name}.oauth.clientId (e.g. partenaire:federal:service:bus:client:confidential) or pass --client-id.`,
      details: { env: env.name },
    });
  }
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
  const tokenEndpoint = env.endpoints['oauth.token']?.url;
  const metadataUrl = env.endpoints['oauth.metadata']?.url;
  if (tokenEndpoint === undefined && metadataUrl === undefined) endpointUrl(env, 'oauth.token');
  const http =
    options.http ??
    createHttpClient({
      clock,
      ...(tls === undefined ? {} : { credential: tls }),
      ...(ca === undefined ? {} : { ca }),
      ...(options.trace === undefined ? {} : { trace: options.trace }),
    });
  const scope = options.scope ?? env.oauth.scope;
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
  });
  let rest: RestClient | undefined;
  const restClient = (): RestClient => {
    rest ??= createRestClient({ baseUrl: endpointUrl(env, 'cbss.rest'), tokens: oauth, http });
    return rest;
  };
  return Object.freeze({
    oauth,
    rest: restClient,
    health: (api: string) => restHealth(restClient(), api),
    get: (path: string, o: Omit<RestRequestOptions, 'method' | 'json'>) => restClient().get(path, o),
    close: () => (options.http === undefined ? http.close() : Promise.resolve()),
  });
}
