import { Agent, request } from 'undici';
import { PasserelleError } from '../../errors.ts';

const MAX_HOPS = 10;
const MAX_PAGE_BYTES = 256 * 1024;

interface _Cookie {
  readonly value: string;
  readonly path: string;
}

/** A cookie jar for one origin: name → value and path (enough for oidc-provider's cookies). */
class _Jar {
  readonly #cookies = new Map<string, _Cookie>();
  take(setCookie: string | string[] | undefined): void {
    for (const line of typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith('path='))
          ?.slice(5) || '/';
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, { value, path });
    }
  }
  header(path: string): string | undefined {
    const out = [...this.#cookies]
      .filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`);
    return out.length === 0 ? undefined : out.join('; ');
  }
}

const _failed = (message: string, details: Record<string, string | number> = {}) =>
  new PasserelleError('ERR_MSS_LOGIN_FAILED', message, { details });

/** The `action` of the login page's form for `rpps` (a hidden input `rpps` with that value). */
function _formAction(html: string, rpps: string): string | undefined {
  for (const form of html.match(/<form\b[\s\S]*?<\/form>/g) ?? []) {
    const action = /<form\b[^>]*\baction="([^"]*)"/.exec(form)?.[1];
    const value = /<input\b[^>]*\bname="rpps"[^>]*\bvalue="([^"]*)"/.exec(form)?.[1];
    if (action !== undefined && value === rpps) return action.replace(/&amp;/g, '&');
  }
  return undefined;
}

/**
 * Completes a login at the sandbox's Pro Santé Connect stub without a browser: follows the
 * stub's redirects from `authorizationUrl` with its cookies (undici, TLS pinned to `ca`), posts
 * the professional `rpps` as the login page's form does, and returns the first redirect that
 * leaves the stub (the client's redirect URI with `code` and `state`, or an OAuth `error`),
 * not followed. ERR_MSS_LOGIN_FAILED when the page does not offer `rpps`, the stub answers
 * anything else than a redirect or the page (details.status, and details.error from the error
 * page), after too many redirects, or when the stub cannot be reached (details.reason).
 */
export async function driveSandboxLogin(
  authorizationUrl: string,
  rpps: string,
  options: { readonly ca: string },
): Promise<string> {
  const start = new URL(authorizationUrl);
  const jar = new _Jar();
  const dispatcher = new Agent({ connect: { ca: options.ca, minVersion: 'TLSv1.2' } });
  try {
    let next: { url: URL; form?: string } = { url: start };
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const { url, form } = next;
      const cookie = jar.header(url.pathname);
      const res = await request(url, {
        dispatcher,
        method: form === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'text/html',
          ...(cookie === undefined ? {} : { cookie }),
          ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(form === undefined ? {} : { body: form }),
      });
      jar.take(res.headers['set-cookie']);
      const location = res.headers['location'];
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
        await res.body.dump();
        const target = new URL(location, url);
        if (target.origin !== start.origin) return target.href;
        next = { url: target };
        continue;
      }
      const text = await res.body.text();
      if (res.statusCode !== 200 || form !== undefined || text.length > MAX_PAGE_BYTES) {
        const error = /id="error">([^<]*)</.exec(text)?.[1];
        throw _failed(`the PSC stub answered ${res.statusCode} at ${url.pathname}`, {
          status: res.statusCode,
          ...(error === undefined ? {} : { error }),
        });
      }
      const action = _formAction(text, rpps);
      if (action === undefined)
        throw _failed(`the PSC stub's login page offers no professional ${rpps}`, { rpps });
      next = { url: new URL(action, url), form: new URLSearchParams({ rpps }).toString() };
    }
    throw _failed(`more than ${MAX_HOPS} redirects at the PSC stub`);
  } catch (e) {
    if (e instanceof PasserelleError) throw e;
    const code = (e as { code?: unknown }).code;
    throw new PasserelleError('ERR_MSS_LOGIN_FAILED', `cannot reach the PSC stub at ${start.origin}`, {
      details: typeof code === 'string' ? { reason: code } : {},
      cause: e,
    });
  } finally {
    await dispatcher.close();
  }
}
