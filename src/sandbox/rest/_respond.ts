import type { ServerResponse } from 'node:http';
import type { RawResponse } from '../_client-error.ts';

export interface _ProblemInput {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  /** A short slug under the sandbox's problem type namespace. */
  readonly type?: string;
  /** The Bearer challenge parameters (RFC 6750 §3), e.g. { error: 'invalid_token' }. */
  readonly challenge?: Readonly<Record<string, string>>;
  /** Extension members of the problem (RFC 9457 §3.2), e.g. `errors`; the standard members win. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

const _quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;

/** Sends an RFC 9457 problem+json, with a Bearer WWW-Authenticate challenge when given. */
export function _sendProblem(res: ServerResponse, input: _ProblemInput, instance?: string): void {
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  };
  if (input.challenge !== undefined) {
    const params = Object.entries({ realm: 'passerelle-sandbox', ...input.challenge })
      .map(([k, v]) => `${k}=${_quote(v)}`)
      .join(', ');
    headers['www-authenticate'] = `Bearer ${params}`;
  }
  const body = {
    ...input.extensions,
    type: input.type === undefined ? 'about:blank' : _problemType(input.type),
    title: input.title,
    status: input.status,
    ...(input.detail === undefined ? {} : { detail: input.detail }),
    ...(instance === undefined ? {} : { instance }),
  };
  res.writeHead(input.status, headers).end(JSON.stringify(body));
}

const _problemType = (slug: string) => `urn:passerelle:sandbox:problem:${slug}`;

/**
 * The problem+json for a request refused before it was parsed (written straight to the socket):
 * 431 for headers over `maxHeaderBytes`, 408 for headers that did not arrive in time, else 400.
 */
export function _rawProblem(reason: string, maxHeaderBytes: number): RawResponse {
  const [status, statusText, detail] =
    reason === 'header-too-large'
      ? [431, 'Request Header Fields Too Large', `The request headers exceed ${maxHeaderBytes} bytes.`]
      : reason === 'headers-timeout'
        ? [408, 'Request Timeout', 'The request headers did not arrive in time.']
        : [400, 'Bad Request', 'The request is not valid HTTP/1.1.'];
  return {
    status,
    statusText,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: _problemType(reason), title: statusText, status, detail }),
  };
}
