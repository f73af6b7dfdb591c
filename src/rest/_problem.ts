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
  // The message says the status and the title; the detail (up to 500 characters) is in details,
  // which the CLI prints on its own line. Both were made printable by safeText.
  const what =
    problem.title !== null
      ? `${status} ${problem.title}`
      : problem.detail !== null
        ? `${status}: ${problem.detail.slice(0, 120)}`
        : `HTTP ${status}`;
  return new PasserelleError(code, `The ${where.api} API answered ${what}`, {
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
