export { createRestClient, type RestClientOptions } from './create-rest-client.ts';
export type {
  Problem,
  RestClient,
  RestMethod,
  RestRequestOptions,
  RestResponse,
  RestStreamResponse,
  TokenSource,
} from './types.ts';
