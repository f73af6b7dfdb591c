/**
 * HTTP plumbing shared by the API and the pages: problem+json answers, security headers, the
 * Host check (against DNS rebinding: the home page shows the introspection client secret) and
 * the same-origin check of state-changing requests (a page elsewhere must not launch or cancel
 * jobs through the operator's browser).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const MAX_BODY_BYTES = 256 * 1024;

/** An RFC 9457 problem; `code` (a PasserelleError code) and `field` when the input was at fault. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail: string,
  extra: { code?: string; field?: string } = {},
  headers: Record<string, string> = {},
): Response {
  return c.body(JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }), status, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('x-content-type-options', 'nosniff');
  // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on form posts.
  c.header('referrer-policy', 'same-origin');
  c.header('x-frame-options', 'DENY');
  if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
};

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The Host header values the application answers to (undefined: any, when bound to all interfaces). */
export function allowedHosts(host: string, port: number): ReadonlySet<string> | undefined {
  if (WILDCARD.has(host)) return undefined;
  const names = LOOPBACK.has(host) ? [...LOOPBACK] : [host];
  return new Set(names.map((n) => `${n.includes(':') ? `[${n}]` : n}:${port}`.toLowerCase()));
}

/**
 * Refuses a request whose Host is not the application's (421), and a POST or DELETE sent from
 * another origin (403): `Sec-Fetch-Site` other than same-origin/none or, from a browser that
 * does not send it, an `Origin` that is not this Host. Clients that send neither (curl,
 * scripts) are not browsers and pass.
 */
export function originGuard(hosts: () => ReadonlySet<string> | undefined): MiddlewareHandler {
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const allowed = hosts();
    if (allowed !== undefined && !allowed.has(host))
      return problem(c, 421, 'Misdirected Request', 'This application does not answer to that host name.');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      // Sec-Fetch-Site, when sent, is the browser's own word; else an Origin must be this one.
      const foreign =
        site !== undefined
          ? site !== 'same-origin' && site !== 'none'
          : origin !== undefined && origin !== `http://${host}`;
      if (foreign)
        return problem(
          c,
          403,
          'Forbidden',
          'Cross-origin request refused: launch and cancel jobs from this application’s own pages or from a script.',
        );
    }
    return next();
  };
}
