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
import type { TokenCache } from '../../oauth/token-cache.ts';
import type { HttpClient } from '../../oauth/types.ts';
import { loadCredential } from '../../pki/load-credential.ts';
import { loadServerCa } from '../../pki/load-trust.ts';
import type { TraceRecorder } from '../../transport/trace-types.ts';
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
  const clientId = options.clientId ?? env.oauth.clientId;
  if (clientId === undefined) {
    throw new PasserelleError('ERR_CONFIG_INVALID', `Environment "${env.name}" has no OAuth client id`, {
      hint: `Set environments.${env.name}.oauth.clientId (the client registered for eBox publication) or pass --client-id.`,
      details: { env: env.name },
    });
  }
  const baseUrl = endpointUrl(env, 'ebox.rest');
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
    scope,
    ...(tokenEndpoint === undefined ? {} : { tokenEndpoint }),
    ...(metadataUrl === undefined ? {} : { metadataUrl }),
    ...(env.oauth.audience === undefined ? {} : { audience: env.oauth.audience }),
    ...(env.oauth.alg === undefined ? {} : { alg: env.oauth.alg }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  });
  const context = { http, tokens: oauth, baseUrl, certificate: credential.certificate, scope };
  return Object.freeze({
    oauth,
    publish: (publication: EboxPublication, o?: EboxRestPublishOptions) =>
      publishEboxRest(context, publication, o),
    close: () => (options.http === undefined ? http.close() : Promise.resolve()),
  });
}
