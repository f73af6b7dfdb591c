import { type Clock, systemClock } from '../../clock.ts';
import { endpointUrl, type ResolvedEnvironment } from '../../config/environment.ts';
import type { OAuthClient } from '../../oauth/create-oauth-client.ts';
import type { HttpClient } from '../../oauth/types.ts';
import { createRestClient } from '../../rest/create-rest-client.ts';
import type { RestClient, RestRequestOptions, RestResponse } from '../../rest/types.ts';
import type { TraceRecorder } from '../../transport/trace-types.ts';
import { _openOAuthSession } from '../_oauth-session.ts';
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
  const { oauth, http, close } = await _openOAuthSession(env, {
    clientId: options.clientId ?? env.oauth.clientId,
    clientIdHint: 'e.g. partenaire:federal:service:bus:client:confidential',
    scope: options.scope ?? env.oauth.scope,
    clock,
    processEnv,
    http: options.http,
    trace: options.trace,
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
    close,
  });
}
