import { decodeJwt } from 'jose';
import { type OAuthCode, PasserelleError } from '../errors.ts';
import { safeText } from '../transport/safe-text.ts';
import { decodeUtf8 } from '../utf8.ts';
import { _accessToken } from './_access-token.ts';
import type { AccessToken, HttpResponse } from './types.ts';

const ERROR_CODES: Readonly<Record<string, OAuthCode>> = {
  invalid_client: 'ERR_OAUTH_INVALID_CLIENT',
  invalid_scope: 'ERR_OAUTH_INVALID_SCOPE',
  invalid_request: 'ERR_OAUTH_INVALID_REQUEST',
  invalid_grant: 'ERR_OAUTH_INVALID_GRANT',
  unauthorized_client: 'ERR_OAUTH_UNAUTHORIZED_CLIENT',
  unsupported_grant_type: 'ERR_OAUTH_UNSUPPORTED_GRANT_TYPE',
  server_error: 'ERR_OAUTH_SERVER_ERROR',
  temporarily_unavailable: 'ERR_OAUTH_SERVER_ERROR',
};

const HINTS: Partial<Record<OAuthCode, string>> = {
  ERR_OAUTH_INVALID_CLIENT:
    'Check the client id, that the platform registered this certificate for it, the assertion audience (token endpoint or issuer) and the clock.',
  ERR_OAUTH_INVALID_SCOPE:
    'Request only scopes granted to this client, or omit the scope to get the defaults.',
  ERR_OAUTH_UNAUTHORIZED_CLIENT:
    'The client is not allowed the client_credentials grant: contact the platform.',
  ERR_OAUTH_SERVER_ERROR: 'The authorization server failed; retry later.',
};

function _json(response: HttpResponse): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decodeUtf8(response.body));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function _invalid(message: string, status: number, host: string): PasserelleError {
  return new PasserelleError('ERR_OAUTH_RESPONSE_INVALID', message, {
    hint: 'Check that the URL is the OAuth token endpoint of the platform.',
    details: { status, host },
  });
}

/** `expires_in`, else the JWT's own `exp`, else 60 s. */
function _lifetime(value: unknown, token: string, now: number): number | undefined {
  if (value !== undefined) {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  }
  try {
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number' && exp * 1000 > now) return Math.floor(exp - now / 1000);
  } catch {
    // an opaque token: fall through
  }
  return 60;
}

/**
 * Reads a token endpoint response (RFC 6749 §5.1 / §5.2): a Bearer token, or an OAuth error
 * mapped to a stable ERR_OAUTH_* code with the server's description in `details`.
 */
export function _readTokenResponse(response: HttpResponse, host: string, now: number): AccessToken {
  const { status } = response;
  const body = _json(response);
  if (status !== 200) {
    const error = typeof body?.['error'] === 'string' ? body['error'] : undefined;
    if (error === undefined) {
      if (status >= 500) {
        return _throw('ERR_OAUTH_SERVER_ERROR', `The authorization server answered HTTP ${status}`, {
          status,
          host,
          error: null,
          errorDescription: null,
        });
      }
      throw _invalid(`The token endpoint answered HTTP ${status} without an OAuth error`, status, host);
    }
    const code =
      ERROR_CODES[error] ?? (status >= 500 ? 'ERR_OAUTH_SERVER_ERROR' : 'ERR_OAUTH_INVALID_REQUEST');
    const description = safeText(body?.['error_description']);
    return _throw(code, `The authorization server refused the token request: ${safeText(error, 64)}`, {
      status,
      host,
      error: safeText(error, 64),
      errorDescription: description,
    });
  }
  if (body === undefined) throw _invalid('The token response is not a JSON object', status, host);
  const token = body['access_token'];
  const type = body['token_type'];
  if (typeof token !== 'string' || token.length === 0 || /\s/.test(token)) {
    throw _invalid('The token response has no usable access_token', status, host);
  }
  if (typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
    throw _invalid(`The token type is not Bearer (${safeText(type, 32) ?? 'missing'})`, status, host);
  }
  const lifetime = _lifetime(body['expires_in'], token, now);
  if (lifetime === undefined) throw _invalid('The token response has an invalid expires_in', status, host);
  const scope = body['scope'];
  if (scope !== undefined && typeof scope !== 'string')
    throw _invalid('The token scope is not a string', status, host);
  return _accessToken(token, lifetime, scope === '' ? undefined : scope, now);
}

function _throw(code: OAuthCode, message: string, details: Record<string, string | number | null>): never {
  const hint = HINTS[code];
  throw new PasserelleError(code, message, { ...(hint === undefined ? {} : { hint }), details });
}
