import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PasserelleError } from '../errors.ts';
import { safeText } from '../transport/safe-text.ts';
import type { PscAuthorizationRequest, PscClient } from './psc-client.ts';
import type { PscTokens } from './psc-tokens.ts';

export interface LoopbackLoginOptions {
  readonly client: Pick<PscClient, 'authorizationRequest' | 'exchangeCode'>;
  /** Port of the redirect URI; 0 (default): any free port. */
  readonly port?: number | undefined;
  /** Loopback address listened on and named in the redirect URI; default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Path of the redirect URI; default /callback. */
  readonly path?: string | undefined;
  /** Receives the authorization URL: print it, open a browser. */
  readonly onUrl: (url: string) => void | Promise<void>;
  /** How long to wait for the browser to come back; default 5 minutes. */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

const _PAGE = (title: string, text: string): string =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>\n`;

function _answer(res: ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(_PAGE(title, text));
}

const _failed = (message: string, details: Record<string, string>, cause?: unknown) =>
  new PasserelleError('ERR_MSS_LOGIN_FAILED', message, {
    details,
    ...(cause === undefined ? {} : { cause }),
  });

/**
 * Logs in with Pro Santé Connect through the browser (authorization code flow, RFC 8252 loopback
 * redirect): listens on `http://<host>:<port><path>`, hands the authorization URL to `onUrl`,
 * waits for the redirect, exchanges its code (state, PKCE, nonce and acr checked) and answers
 * the browser with a short page (never a token). A request with another state is answered 400
 * and the wait goes on. The browser not back within `timeoutMs`, an abort, or an error in the
 * redirect (`error=access_denied`…) is ERR_MSS_LOGIN_FAILED. The server is closed in every case.
 */
export async function loginWithLoopback(options: LoopbackLoginOptions): Promise<PscTokens> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/callback';
  const timeoutMs = options.timeoutMs ?? 300_000;
  if (options.signal?.aborted) throw _failed('The login was cancelled', { reason: 'aborted' });

  let request: PscAuthorizationRequest | undefined;
  let settled = false;
  let resolveLogin!: (tokens: PscTokens) => void;
  let rejectLogin!: (error: unknown) => void;
  const done = new Promise<PscTokens>((resolve, reject) => {
    resolveLogin = resolve;
    rejectLogin = reject;
  });
  done.catch(() => {}); // awaited below; no unhandled rejection when onUrl fails first
  const finish = (error: unknown, tokens?: PscTokens): void => {
    if (settled) return;
    settled = true;
    if (tokens !== undefined) resolveLogin(tokens);
    else rejectLogin(error);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (req.method !== 'GET' || url.pathname !== path) {
      _answer(res, 404, 'Not found', 'This address only receives the Pro Santé Connect redirect.');
      return;
    }
    if (request === undefined || url.searchParams.get('state') !== request.state) {
      _answer(res, 400, 'Unknown login', 'This page does not belong to the login in progress.');
      return;
    }
    if (settled) {
      _answer(res, 409, 'Login already handled', 'You can close this window.');
      return;
    }
    const error = url.searchParams.get('error');
    if (error !== null) {
      const description = safeText(url.searchParams.get('error_description'), 200);
      const failure = _failed(`Pro Santé Connect refused the login: ${safeText(error, 100)}`, {
        reason: 'psc-error',
        error: safeText(error, 100) ?? '',
        ...(description === null ? {} : { description }),
      });
      settled = true;
      res.once('close', () => rejectLogin(failure));
      _answer(
        res,
        400,
        'Login failed',
        'Pro Santé Connect did not complete the login. You can close this window.',
      );
      return;
    }
    settled = true; // one exchange per login; later redirects get 409
    const callback = new URL(`${redirectUri}${url.search}`);
    try {
      const tokens = await options.client.exchangeCode(callback, request);
      res.once('close', () => resolveLogin(tokens));
      _answer(res, 200, 'Login complete', 'You are logged in. You can close this window.');
    } catch (cause) {
      res.once('close', () => rejectLogin(cause));
      _answer(res, 400, 'Login failed', 'The login could not be completed. You can close this window.');
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((cause) => {
      if (!res.headersSent) _answer(res, 500, 'Error', 'The login could not be completed.');
      settled = true;
      rejectLogin(_failed('The login redirect could not be handled', { reason: 'internal' }, cause));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((cause) => {
    throw _failed(`Cannot listen on ${host}:${options.port ?? 0} for the login redirect`, {
      reason: String((cause as NodeJS.ErrnoException)?.code ?? 'listen'),
    });
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;

  const timer = setTimeout(
    () =>
      finish(_failed('The browser did not come back from Pro Santé Connect in time', { reason: 'timeout' })),
    timeoutMs,
  );
  const onAbort = () => finish(_failed('The login was cancelled', { reason: 'aborted' }));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    request = options.client.authorizationRequest(redirectUri);
    await options.onUrl(request.url);
    return await done;
  } finally {
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
