import { type Clock, systemClock } from '../../clock.ts';
import { endpointUrl, type ResolvedEnvironment } from '../../config/environment.ts';
import type { OAuthClient } from '../../oauth/create-oauth-client.ts';
import type { TokenCache } from '../../oauth/token-cache.ts';
import type { HttpClient } from '../../oauth/types.ts';
import type { TraceRecorder } from '../../transport/trace-types.ts';
import { _openOAuthSession } from '../_oauth-session.ts';
import type { EboxPublication } from './publication.ts';
import { type EboxRestPublishOptions, publishEboxRest } from './rest-publish.ts';
import { EBOX_PUBLICATION_SCOPE } from './rest-scope.ts';
import type { EboxPublishResult } from './result.ts';

export interface CreateEboxRestClientOptions {
  /** Overrides `oauth.clientId` of the environment. */
  readonly clientId?: string;
  /** The token scope; default EBOX_PUBLICATION_SCOPE (requested explicitly, as the eBox requires). */
  readonly scope?: string;
  readonly clock?: Clock;
  readonly processEnv?: NodeJS.ProcessEnv;
  /** Replaces the HTTP client built from `credentials.tls` and `trust.ca` (it must stream bodies). */
  readonly http?: HttpClient;
  /** Share tokens with other clients of the same OAuth client (default: a cache of this client). */
  readonly cache?: TokenCache;
  /** Records the exchanges (token requests and publications) of the HTTP client built here. */
  readonly trace?: TraceRecorder | undefined;
}

export interface EboxRestClient {
  /** The OAuth client whose tokens (publication scope) the publications carry. */
  readonly oauth: OAuthClient;
  /** Publishes one document to a citizen's eBox (see publishEboxRest). */
  publish(publication: EboxPublication, options?: EboxRestPublishOptions): Promise<EboxPublishResult>;
  close(): Promise<void>;
}

/**
 * The eBox REST publication client of one environment (PROTOCOLS.md §6–7), made like
 * createRestService: the OAuth certificate (whose registration is the sender), the TLS client
 * certificate when configured (extranet) and the CA are loaded once; tokens come from the OAuth
 * v5 client (`oauth.token`, else discovered from `oauth.metadata`) with the publication scope;
 * publications go to `ebox.rest` + `/publishMessage`. ERR_CONFIG_INVALID without a client id,
 * ERR_CONFIG_ENDPOINT_MISSING without `ebox.rest` or an OAuth endpoint. Close it when done.
 */
export async function createEboxRestClient(
  env: ResolvedEnvironment,
  options: CreateEboxRestClientOptions = {},
): Promise<EboxRestClient> {
  const { clock = systemClock, processEnv = process.env, scope = EBOX_PUBLICATION_SCOPE } = options;
  const baseUrl = endpointUrl(env, 'ebox.rest');
  const { oauth, http, certificate, close } = await _openOAuthSession(env, {
    clientId: options.clientId ?? env.oauth.clientId,
    clientIdHint: 'the client registered for eBox publication',
    scope,
    clock,
    processEnv,
    http: options.http,
    cache: options.cache,
    trace: options.trace,
  });
  const context = { http, tokens: oauth, baseUrl, certificate, scope };
  return Object.freeze({
    oauth,
    publish: (publication: EboxPublication, o?: EboxRestPublishOptions) =>
      publishEboxRest(context, publication, o),
    close,
  });
}
