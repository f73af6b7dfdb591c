import type { ServerResponse } from 'node:http';
import { isPasserelleError } from '../../errors.ts';
import { _EboxFault } from './_fault.ts';
import { _RestRefusal } from './_rest-refusal.ts';

/** A JSON answer; with `endAfter` (a body still being drained) ended only once it settles. */
export function _sendStatus(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
  endAfter?: Promise<void>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(endAfter === undefined ? {} : { connection: 'close' }),
    ...headers,
  });
  if (endAfter === undefined) res.end(text);
  else {
    res.write(text);
    void endAfter.then(() => res.end());
  }
}

/** The REST answer of a business refusal (shared rules throw _EboxFault). */
export function _refusalOf(error: unknown): _RestRefusal {
  if (error instanceof _RestRefusal) return error;
  if (error instanceof _EboxFault) {
    // SOA-02002 (fault injection): the gateway's 503, with Retry-After [inferred].
    if (error.code === 'SOA-02002')
      return Object.assign(
        new _RestRefusal(
          503,
          'SERVICE_UNAVAILABLE',
          'The service is temporarily not available: retry later',
          error.reason,
        ),
        { headers: { 'retry-after': '1' } },
      );
    if (error.code === '90') return new _RestRefusal(400, 'INVALID_RECIPIENT', error.message, error.reason);
    if (error.code === '10') return new _RestRefusal(400, 'INVALID_INPUT', error.message, error.reason);
    return new _RestRefusal(
      400,
      'INVALID_SENDER',
      `Invalid message configuration: ${error.message}`,
      error.reason,
    );
  }
  if (isPasserelleError(error, 'ERR_EBOX_DUPLICATE'))
    return new _RestRefusal(
      409,
      'DUPLICATE_REQUEST',
      'This Idempotency-Key was already used by this sender application',
      error.code,
    );
  if (isPasserelleError(error, 'ERR_EBOX_INVALID_INPUT')) {
    const reason = String(error.details['reason'] ?? error.code);
    return reason === 'multipart-too-large'
      ? new _RestRefusal(413, 'PAYLOAD_TOO_LARGE', error.message, reason)
      : new _RestRefusal(400, 'INVALID_INPUT', error.message, reason);
  }
  if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TIMEOUT'))
    return new _RestRefusal(408, 'REQUEST_TIMEOUT', error.message, 'timeout');
  if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_ABORTED'))
    return new _RestRefusal(400, 'INVALID_INPUT', error.message, 'aborted');
  return new _RestRefusal(500, 'INTERNAL_ERROR', 'Internal error', 'internal');
}
