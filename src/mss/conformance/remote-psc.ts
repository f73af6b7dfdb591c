import { decodeJwt } from 'jose';
import { Agent, fetch } from 'undici';
import { PasserelleError } from '../../errors.ts';
import { assertSecureEnvironment } from '../../transport/secure-environment.ts';
import type { ConformancePsc } from './runner-types.ts';

export interface RemotePscOptions {
  /** The PSC issuer (`https://host:port/auth/realms/esante-wallet`) or its origin. */
  readonly url: string;
  /** The service's admin secret (its `admin-secret` file). */
  readonly adminSecret: string;
  /** PEM of the CA of the service's TLS certificate. */
  readonly ca: string;
  readonly timeoutMs?: number;
}

/**
 * The ConformancePsc of a conformance PSC service running in another process
 * (`passerelle mss conformance serve`): tokens minted and introspection counts read through its
 * admin API over TLS ≥ 1.2, the service's certificate verified against `ca`. Failures:
 * ERR_MSS_CONFORMANCE_PSC (unreachable, refused credential, unexpected answer).
 */
export function connectConformancePsc(o: RemotePscOptions): ConformancePsc {
  assertSecureEnvironment();
  let origin: string;
  let issuer: string;
  try {
    const u = new URL(o.url);
    if (u.protocol !== 'https:') throw new TypeError('not https');
    origin = u.origin;
    issuer =
      u.pathname.length > 1
        ? `${origin}${u.pathname.replace(/\/$/, '')}`
        : `${origin}/auth/realms/esante-wallet`;
  } catch {
    throw new PasserelleError(
      'ERR_MSS_CONFORMANCE_PSC',
      `--psc-url must be an https:// URL, got ${JSON.stringify(o.url.slice(0, 200))}`,
    );
  }
  const dispatcher = new Agent({ connect: { ca: o.ca, minVersion: 'TLSv1.2', rejectUnauthorized: true } });
  const call = async (
    path: string,
    init: { method: string; body?: string },
  ): Promise<Record<string, unknown>> => {
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(`${origin}/conformance/v1${path}`, {
        ...init,
        dispatcher,
        headers: { authorization: `Bearer ${o.adminSecret}`, 'content-type': 'application/json' },
        signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
      });
    } catch (cause) {
      throw new PasserelleError(
        'ERR_MSS_CONFORMANCE_PSC',
        `The conformance PSC at ${origin} cannot be reached`,
        {
          details: { url: origin, reason: String((cause as Error)?.cause ?? cause).slice(0, 200) },
          cause,
        },
      );
    }
    const text = await res.text();
    if (res.status === 401)
      throw new PasserelleError(
        'ERR_MSS_CONFORMANCE_PSC',
        `The conformance PSC at ${origin} refused the admin secret`,
        {
          details: { url: origin, status: 401 },
        },
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!res.ok || typeof body !== 'object' || body === null)
      throw new PasserelleError(
        'ERR_MSS_CONFORMANCE_PSC',
        `The conformance PSC at ${origin} answered ${res.status}`,
        {
          details: { url: origin, status: res.status },
        },
      );
    return body as Record<string, unknown>;
  };
  return {
    issuer,
    mintToken: async (t) => {
      const body = await call('/tokens', { method: 'POST', body: JSON.stringify(t) });
      const token = body['access_token'];
      if (typeof token !== 'string')
        throw new PasserelleError(
          'ERR_MSS_CONFORMANCE_PSC',
          `The conformance PSC at ${origin} returned no token`,
        );
      return token;
    },
    introspectionsOf: async (token) => {
      const jti = decodeJwt(token).jti;
      if (typeof jti !== 'string') return 0;
      const count = (await call(`/introspections/${encodeURIComponent(jti)}`, { method: 'GET' }))['count'];
      return typeof count === 'number' ? count : 0;
    },
  };
}
