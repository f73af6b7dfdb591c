import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxView } from '../module.ts';
import { CONSOLE_CSP, CONSOLE_PAGE } from './_page.ts';

const MAX_LOG = 1000;
const MAX_EXCHANGES = 10_000;

/** `?limit=` as an integer from 1 to `max` (`fallback` when absent); NaN when invalid. */
function _limit(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  const limit = raw === null ? fallback : /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  return limit >= 1 && limit <= max ? limit : Number.NaN;
}
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    ...SECURITY_HEADERS,
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const json = (res: ServerResponse, value: unknown) =>
  send(res, 200, 'application/json', JSON.stringify(value));

function problem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, string> = {},
): void {
  send(
    res,
    status,
    'application/problem+json',
    JSON.stringify({ type: 'about:blank', title, status, detail }),
    extra,
  );
}

/**
 * The console routes. API version 1:
 * - GET /api/v1/status → { version, startedAt, modules: [{ name, endpoints, stats }], endpoints }
 * - GET /api/v1/log?limit=N → { entries } (1 ≤ N ≤ 1000, default 100; oldest first)
 * - GET /api/v1/exchanges?limit=N → { capacity, maxEntryBytes, recorded, dropped, exchanges }
 *   (summaries, newest first; 1 ≤ N ≤ 10000, default all kept)
 * - GET /api/v1/exchanges/{id} → one exchange: headers, request and reply bodies (bounded,
 *   secrets redacted), per-reference verification report
 * - GET /api/v1/<module>/… → that module's own API (StartedSandboxModule.api), e.g. ebox
 * - GET / → the HTML page
 * Errors are application/problem+json.
 */
export function handleConsoleRequest(
  view: SandboxView,
  req: IncomingMessage,
  res: ServerResponse,
): void | Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    problem(res, 405, 'Method Not Allowed', 'The console is read-only: use GET.', { allow: 'GET, HEAD' });
    return;
  }
  const mounted = /^\/api\/v1\/([a-z][a-z0-9-]*)(\/.*)$/.exec(url.pathname);
  const api = mounted === null ? undefined : view.moduleApi(mounted[1]!);
  if (api !== undefined) return api(req, res, mounted![2]!);
  const exchange = /^\/api\/v1\/exchanges\/([^/]+)$/.exec(url.pathname);
  if (exchange !== null) {
    const id = exchange[1]!;
    const found = /^\d{1,12}$/.test(id) ? view.exchange(id) : undefined;
    if (found === undefined)
      problem(res, 404, 'Not Found', 'No such exchange in the journal (it may have been dropped).');
    else json(res, found);
    return;
  }
  switch (url.pathname) {
    case '/':
      send(res, 200, 'text/html; charset=utf-8', CONSOLE_PAGE, {
        'content-security-policy': CONSOLE_CSP,
        'x-frame-options': 'DENY',
      });
      return;
    case '/api/v1/status': {
      const modules = view.modules();
      const endpoints: Record<string, string> = {};
      for (const m of modules) Object.assign(endpoints, m.endpoints);
      json(res, { version: 1, startedAt: view.startedAt, modules, endpoints });
      return;
    }
    case '/api/v1/log': {
      const limit = _limit(url, 100, MAX_LOG);
      if (Number.isNaN(limit)) {
        problem(res, 400, 'Bad Request', `limit must be an integer from 1 to ${MAX_LOG}`);
        return;
      }
      json(res, { entries: view.recentLog(limit) });
      return;
    }
    case '/api/v1/exchanges': {
      const limit = _limit(url, MAX_EXCHANGES, MAX_EXCHANGES);
      if (Number.isNaN(limit)) {
        problem(res, 400, 'Bad Request', `limit must be an integer from 1 to ${MAX_EXCHANGES}`);
        return;
      }
      json(res, { ...view.journalInfo(), exchanges: view.exchanges(limit) });
      return;
    }
    default:
      problem(res, 404, 'Not Found', `No console resource at ${url.pathname}; the API is under /api/v1/.`);
  }
}
