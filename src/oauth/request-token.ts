import { type Clock, systemClock } from '../clock.ts';
import type { Credential } from '../pki/credential.ts';
import { _readTokenResponse } from './_token-response.ts';
import { CLIENT_ASSERTION_TYPE, createClientAssertion } from './create-client-assertion.ts';
import type { AccessToken, AssertionAlgorithm, HttpClient } from './types.ts';

export interface RequestTokenOptions {
  readonly http: HttpClient;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly credential: Credential;
  /** The assertion's `aud`; default the token endpoint URL. */
  readonly audience?: string;
  /** Omit to get the client's default scopes. */
  readonly scope?: string;
  readonly alg?: AssertionAlgorithm;
  readonly assertionLifetimeSeconds?: number;
  readonly kid?: string | true;
  readonly x5tS256?: boolean;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
}

/**
 * One client_credentials token request authenticated with a private_key_jwt assertion
 * (PROTOCOLS.md §6), without any cache. Throws ERR_OAUTH_* (the server's error and description
 * in `details`) or ERR_TRANSPORT_*.
 */
export async function requestToken(options: RequestTokenOptions): Promise<AccessToken> {
  const { http, tokenEndpoint, clientId, credential, scope, clock = systemClock } = options;
  const url = new URL(tokenEndpoint);
  const assertion = await createClientAssertion({
    credential,
    clientId,
    audience: options.audience ?? tokenEndpoint,
    clock,
    alg: options.alg,
    lifetimeSeconds: options.assertionLifetimeSeconds,
    kid: options.kid,
    x5tS256: options.x5tS256,
  });
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: assertion,
  });
  if (scope !== undefined && scope.trim() !== '') form.set('scope', scope.trim());
  const response = await http.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return _readTokenResponse(response, url.host, clock.now());
}
