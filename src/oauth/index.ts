export {
  CLIENT_ASSERTION_TYPE,
  type CreateClientAssertionOptions,
  createClientAssertion,
  MAX_ASSERTION_LIFETIME_SECONDS,
} from './create-client-assertion.ts';
export { type CreateHttpClientOptions, createHttpClient } from './create-http-client.ts';
export {
  createOAuthClient,
  type GetTokenOptions,
  type OAuthClient,
  type OAuthClientOptions,
} from './create-oauth-client.ts';
export { type DiscoverOptions, discoverAuthorizationServer } from './discover.ts';
export { type RequestTokenOptions, requestToken } from './request-token.ts';
export { TokenCache, type TokenCacheOptions } from './token-cache.ts';
export { tokenFingerprint } from './token-fingerprint.ts';
export {
  type AccessToken,
  ASSERTION_ALGORITHMS,
  type AssertionAlgorithm,
  type AuthorizationServerMetadata,
  type HttpClient,
  type HttpRequestOptions,
  type HttpResponse,
  type HttpStreamResponse,
} from './types.ts';
