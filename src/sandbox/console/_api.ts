import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxView } from '../module.ts';
import { CONSOLE_CSP, CONSOLE_PAGE } from './_page.ts';

const MAX_LOG = 1000;
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
 * - GET / → the HTML page
 * Errors are application/problem+json.
 */
export function handleConsoleRequest(view: SandboxView, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    problem(res, 405, 'Method Not Allowed', 'The console is read-only: use GET.', { allow: 'GET, HEAD' });
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
      const raw = url.searchParams.get('limit');
      const limit = raw === null ? 100 : /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(limit >= 1 && limit <= MAX_LOG)) {
        problem(res, 400, 'Bad Request', `limit must be an integer from 1 to ${MAX_LOG}`);
        return;
      }
      json(res, { entries: view.recentLog(limit) });
      return;
    }
    default:
      problem(res, 404, 'Not Found', `No console resource at ${url.pathname}; the API is under /api/v1/.`);
  }
}
