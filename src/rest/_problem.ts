import type { IncomingHttpHeaders } from 'node:http';
import { PasserelleError, type RestCode } from '../errors.ts';
import { safeText } from '../transport/safe-text.ts';
import { decodeUtf8 } from '../utf8.ts';
import { _bearerChallenge } from './_www-authenticate.ts';
import type { Problem } from './types.ts';

const CODES: Readonly<Record<number, RestCode>> = {
  401: 'ERR_REST_UNAUTHORIZED',
  403: 'ERR_REST_FORBIDDEN',
  404: 'ERR_REST_NOT_FOUND',
};

const HINTS: Partial<Record<RestCode, string>> = {
  ERR_REST_UNAUTHORIZED: 'The token was refused: check the client id, its certificate and the environment.',
  ERR_REST_FORBIDDEN: 'The token lacks a scope this API needs: ask the platform to grant it, or request it.',
  ERR_REST_NOT_FOUND: 'Check the API name and the path.',
};

/** Reads a problem+json body (RFC 9457); falls back to the status alone. */
export function _readProblem(status: number, body: Buffer): Problem {
  let doc: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(decodeUtf8(body));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      doc = parsed as Record<string, unknown>;
  } catch {
    // not JSON: status only
  }
  return {
    type: safeText(doc['type'], 200),
    title: safeText(doc['title'], 200),
    status,
    detail: safeText(doc['detail'], 500),
    instance: safeText(doc['instance'], 200),
  };
}

/** The typed error of a failed REST call: ERR_REST_UNAUTHORIZED / FORBIDDEN / NOT_FOUND / PROBLEM. */
export function _problemError(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  where: { host: string; api: string },
): PasserelleError {
  const problem = _readProblem(status, body);
  const challenge = _bearerChallenge(headers['www-authenticate']);
  const code = CODES[status] ?? 'ERR_REST_PROBLEM';
  const hint = HINTS[code];
  const what = problem.title ?? problem.detail ?? `HTTP ${status}`;
  return new PasserelleError(code, `The ${where.api} API answered ${status}: ${what}`, {
    ...(hint === undefined ? {} : { hint }),
    details: {
      status,
      type: problem.type,
      title: problem.title,
      detail: problem.detail,
      instance: problem.instance,
      host: where.host,
      api: where.api,
      ...(challenge === undefined
        ? {}
        : {
            authError: safeText(challenge['error'], 64),
            authErrorDescription: safeText(challenge['error_description'], 200),
            requiredScope: safeText(challenge['scope'], 200),
          }),
    },
  });
}
