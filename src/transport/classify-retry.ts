import { isPasserelleError } from '../errors.ts';

export type RetryReason = 'connection-reset' | 'connection-refused' | 'http-503' | 'soa-02002';

export type RetryDecision =
  | { readonly retry: true; readonly reason: RetryReason }
  | { readonly retry: false; readonly reason: 'not-transient' };

const NO: RetryDecision = Object.freeze({ retry: false, reason: 'not-transient' });

/**
 * Says whether a failure (an error, or a response with a `status`) is transient and the call
 * may be repeated. Only three things are: a connection reset or refused *before the request
 * was sent*, HTTP 503, and a SOAP fault the platform marks as temporary (SOA-02002). Anything
 * else — timeouts, TLS failures, other statuses, SOA-02001, resets after sending — is not.
 */
export function classifyRetry(outcome: unknown): RetryDecision {
  if (isPasserelleError(outcome, 'ERR_TRANSPORT_CONNECT')) {
    if (outcome.details['requestSent'] !== false) return NO;
    if (outcome.details['errno'] === 'ECONNRESET') return { retry: true, reason: 'connection-reset' };
    if (outcome.details['errno'] === 'ECONNREFUSED') return { retry: true, reason: 'connection-refused' };
    return NO;
  }
  if (isPasserelleError(outcome, 'ERR_TRANSPORT_HTTP_STATUS')) {
    return outcome.details['status'] === 503 ? { retry: true, reason: 'http-503' } : NO;
  }
  if (isPasserelleError(outcome, 'ERR_SOAP_FAULT')) {
    return outcome.details['retryable'] === true ? { retry: true, reason: 'soa-02002' } : NO;
  }
  if (outcome instanceof Error) return NO;
  if (typeof outcome === 'object' && outcome !== null && (outcome as { status?: unknown }).status === 503) {
    return { retry: true, reason: 'http-503' };
  }
  return NO;
}
