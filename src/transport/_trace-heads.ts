import { _redactHead } from './_trace-redact.ts';

/** A head with its credential headers redacted, and what was redacted. */
export interface _Head {
  readonly head: string;
  readonly kinds: string[];
}

/**
 * The request head undici wrote: the head it published (request line and headers, each ending
 * in CRLF), the framing line it appends, the blank line; the request target replaced by its
 * redacted form.
 */
export function _sentRequestHead(published: string, target: string, framing: string): _Head {
  const [line = '', ...rest] = published.split('\r\n');
  const sp = line.indexOf(' ');
  const end = line.lastIndexOf(' ');
  const fixed = sp > 0 && end > sp ? `${line.slice(0, sp)} ${target}${line.slice(end)}` : line;
  return _redactHead(`${[fixed, ...rest].join('\r\n')}${framing}\r\n`);
}

/** The head of a request that was never sent (the connection failed first), from its options. */
export function _rebuiltRequestHead(
  method: string,
  target: string,
  host: string,
  headers: Readonly<Record<string, string>>,
): _Head {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
  return _redactHead(`${method} ${target} HTTP/1.1\r\nhost: ${host}\r\n${lines.join('')}\r\n`);
}

/** The response head: HTTP/1.1 (the only version the transport speaks), status, reason, raw headers. */
export function _responseHead(status: number, statusText: string, raw: readonly Buffer[]): _Head {
  let head = `HTTP/1.1 ${status}${statusText === '' ? '' : ` ${statusText}`}\r\n`;
  for (let i = 0; i + 1 < raw.length; i += 2)
    head += `${raw[i]!.toString('latin1')}: ${raw[i + 1]!.toString('latin1')}\r\n`;
  return _redactHead(`${head}\r\n`);
}
