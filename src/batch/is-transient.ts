import { isPasserelleError } from '../errors.ts';
import { classifyRetry } from '../transport/classify-retry.ts';

/**
 * Whether a failed publication of a batch item may be tried again later. Wider than the
 * transport's `classifyRetry` (SOA-02002, HTTP 503, a connection reset or refused before
 * sending), because every batch item carries its idempotency key (ticket+sequence, or the
 * Idempotency-Key derived from them): a repeat replaces, never duplicates. So are transient too:
 * a timeout (ERR_TRANSPORT_TIMEOUT) and a connection lost after sending (ERR_TRANSPORT_CONNECT).
 * Everything else — an invalid INSS, a type not authorized, a refused document, a TLS or
 * signature failure, other HTTP statuses — is a business or configuration error: a dead letter.
 */
export function isTransient(error: unknown): boolean {
  if (classifyRetry(error).retry) return true;
  return (
    isPasserelleError(error, 'ERR_TRANSPORT_TIMEOUT') || isPasserelleError(error, 'ERR_TRANSPORT_CONNECT')
  );
}
