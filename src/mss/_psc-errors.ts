import * as oidc from 'openid-client';
import { type ErrorDetails, isPasserelleError, PasserelleError } from '../errors.ts';
import { safeText } from '../transport/safe-text.ts';
import { TLS_CODES } from './_errors.ts';

/** What Passerelle was doing with Pro Santé Connect when it failed. */
export type _PscStep = 'discovery' | 'token' | 'refresh';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The codes and names on an error and its causes (fetch wraps socket errors). */
function _chain(error: unknown): { codes: string[]; names: string[] } {
  const codes: string[] = [];
  const names: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof name === 'string') names.push(name);
    current = (current as { cause?: unknown }).cause;
  }
  return { codes, names };
}

/** The OAuth error of a token endpoint answer (`invalid_grant`…), when it is one. */
export function _oauthErrorOf(error: unknown): string | undefined {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    return error.error;
  }
  return undefined;
}

/**
 * A PasserelleError for a failure talking to Pro Santé Connect: TLS → ERR_MSS_TLS, no answer in
 * time → ERR_MSS_TIMEOUT, an OAuth error answer or anything else from PSC → ERR_MSS_PSC with the
 * OAuth `error` (never a token) in details. At the `token` step, a redirect that carries an
 * error, a code refused (`invalid_grant`: PKCE), or a state or nonce check that fails, is
 * ERR_MSS_LOGIN_FAILED.
 */
export function _pscError(error: unknown, step: _PscStep, host: string): PasserelleError {
  if (isPasserelleError(error)) return error;
  const base: Record<string, string | number> = { step, host };
  if (error instanceof oidc.AuthorizationResponseError) {
    return new PasserelleError(
      'ERR_MSS_LOGIN_FAILED',
      `Pro Santé Connect refused the login: ${error.error}`,
      {
        details: _withDescription({ ...base, error: error.error }, error.error_description),
        cause: error,
      },
    );
  }
  if (error instanceof oidc.ResponseBodyError && step === 'token' && error.error === 'invalid_grant') {
    // The code was refused: PKCE verifier mismatch, a code used twice or too late.
    return new PasserelleError('ERR_MSS_LOGIN_FAILED', 'Pro Santé Connect refused the authorization code', {
      details: _withDescription(
        { ...base, error: error.error, status: error.status },
        error.error_description,
      ),
      cause: error,
    });
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new PasserelleError(
      'ERR_MSS_PSC',
      `Pro Santé Connect answered ${error.error} (HTTP ${error.status}) at the ${step} step`,
      {
        details: _withDescription(
          { ...base, error: error.error, status: error.status },
          error.error_description,
        ),
        cause: error,
      },
    );
  }
  const { codes, names } = _chain(error);
  const tls = codes.find((c) => TLS_CODES.has(c));
  if (tls !== undefined) {
    return new PasserelleError('ERR_MSS_TLS', `TLS with Pro Santé Connect (${host}) failed: ${tls}`, {
      hint: 'Check environments.<env>.mss.psc.ca (the CAs of the PSC server certificate) and the issuer host name.',
      details: { ...base, reason: tls },
      cause: error,
    });
  }
  if (codes.some((c) => TIMEOUT_CODES.has(c)) || names.includes('TimeoutError')) {
    return new PasserelleError('ERR_MSS_TIMEOUT', `Pro Santé Connect (${host}) did not answer in time`, {
      details: { ...base },
      cause: error,
    });
  }
  if (step === 'token' && error instanceof oidc.ClientError) {
    return new PasserelleError(
      'ERR_MSS_LOGIN_FAILED',
      `The PSC login did not pass its checks: ${error.message}`,
      {
        details: { ...base, reason: String(error.code ?? 'check') },
        cause: error,
      },
    );
  }
  const reason = codes[0] ?? names[0] ?? 'unknown';
  return new PasserelleError(
    'ERR_MSS_PSC',
    `Pro Santé Connect (${host}) failed at the ${step} step: ${safeText((error as Error)?.message, 200) ?? reason}`,
    { details: { ...base, reason }, cause: error },
  );
}

function _withDescription(details: Record<string, string | number>, description: unknown): ErrorDetails {
  const text = safeText(description, 200);
  return text === null ? details : { ...details, description: text };
}
