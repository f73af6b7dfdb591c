import { PasserelleError } from '../../errors.ts';
import type { RestClient } from '../../rest/types.ts';

export type RestHealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

export interface RestHealth {
  readonly api: string;
  readonly status: RestHealthStatus;
  readonly httpStatus: number;
  /** The rest of the health document (components, messages), when the API sends one. */
  readonly details: Readonly<Record<string, unknown>>;
}

const STATES: readonly string[] = ['UP', 'DEGRADED', 'DOWN'];

/**
 * `GET /{api}/health` (seed 001, PROTOCOLS.md §6): 200 `{"status":"UP"}` or `DEGRADED`, 503
 * `{"status":"DOWN"}`. DOWN is a result, not an exception; an authorization failure throws
 * ERR_REST_UNAUTHORIZED / ERR_REST_FORBIDDEN, an unknown answer ERR_REST_RESPONSE_INVALID.
 */
export async function restHealth(
  client: RestClient,
  api: string,
  options: { signal?: AbortSignal } = {},
): Promise<RestHealth> {
  const res = await client.get('/health', {
    api,
    acceptStatus: [503],
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const doc =
    typeof res.body === 'object' && res.body !== null && !Buffer.isBuffer(res.body)
      ? (res.body as Record<string, unknown>)
      : {};
  const status =
    typeof doc['status'] === 'string' ? doc['status'].toUpperCase() : res.status === 503 ? 'DOWN' : undefined;
  if (status === undefined || !STATES.includes(status) || (res.status === 503 && status !== 'DOWN')) {
    throw new PasserelleError('ERR_REST_RESPONSE_INVALID', `The ${api} health answer has no known status`, {
      hint: 'Expected {"status":"UP"|"DEGRADED"|"DOWN"}.',
      details: { api, status: res.status },
    });
  }
  const { status: _s, ...details } = doc;
  return { api, status: status as RestHealthStatus, httpStatus: res.status, details };
}
