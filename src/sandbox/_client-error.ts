import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.ts';

/** A response written straight to the socket (there is no request object yet). */
export interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  readonly contentType: string;
  readonly body: string;
}

export interface ListenerTimeouts {
  /** Longest time for the TLS handshake and for the request line and headers, ms. */
  readonly headersTimeoutMs: number;
  /** Longest pause between two body chunks, ms (also how long a refused connection lingers). */
  readonly bodyIdleTimeoutMs: number;
  /**
   * Node's whole-request bound, a backstop behind the listener's own body timers for the replies
   * written before their body is read (unknown paths, refusals); 0 or absent: none (MTOM bounds
   * its large bodies itself, scaled on their size).
   */
  readonly requestBackstopMs?: number;
}

/**
 * The raw answer of a SOAP listener to a connection refused before its request: `faultXml` (a
 * SOA-03001 fault) with 408 for a headers timeout, else 400.
 */
export function _rawSoaFault(reason: string, faultXml: string): RawResponse {
  const timeout = reason === 'headers-timeout';
  return {
    status: timeout ? 408 : 400,
    statusText: timeout ? 'Request Timeout' : 'Bad Request',
    contentType: 'text/xml; charset=utf-8',
    body: faultXml,
  };
}

/** Bytes a refused connection still reads and drops before it is closed. */
const LINGER_BYTES = 1024 * 1024;

const REASONS: Readonly<Record<string, string>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'headers-timeout',
  HPE_HEADER_OVERFLOW: 'header-too-large',
};

/**
 * Answers what Node's HTTP parser refuses, and a headers timeout (see `_serverTimeouts`),
 * instead of Node's bare reply followed by a reset:
 * - on a parser error or a headers timeout, `answer(reason)` is written to the socket with
 *   `connection: close`, then the connection lingers (reads and drops at most 1 MiB, at most
 *   `bodyIdleTimeoutMs` idle and 4 × that in all) so that a client still sending reads the
 *   answer, then closes; a request already under way just has its connection closed;
 * - each refusal is logged with its reason (`headers-timeout`, `header-too-large`, or the
 *   parser's code) and counted through `onRefused`.
 */
export function _guardConnections(
  server: Server,
  { bodyIdleTimeoutMs }: ListenerTimeouts,
  log: Logger,
  answer: (reason: string) => RawResponse | undefined,
  onRefused: (reason: string) => void = () => {},
): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (answered.has(socket)) return;
    answered.add(socket);
    // A request already under way (a bad chunk in its body, a pipelined one): its reply may be half
    // written, so no second reply goes on the wire; the connection just ends.
    if ((socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const reason = REASONS[error.code ?? ''] ?? error.code ?? 'client-error';
    if (reason === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    onRefused(reason);
    log.warn({ reason, detail: error.message.slice(0, 200) }, 'connection refused before its request');
    const reply = answer(reason);
    const body = Buffer.from(reply?.body ?? '', 'utf8');
    const head =
      reply === undefined
        ? 'HTTP/1.1 400 Bad Request\r\n'
        : `HTTP/1.1 ${reply.status} ${reply.statusText}\r\ncontent-type: ${reply.contentType}\r\n`;
    socket.end(
      Buffer.concat([
        Buffer.from(`${head}content-length: ${body.length}\r\nconnection: close\r\n\r\n`),
        body,
      ]),
    );
    let drained = 0;
    const linger = setTimeout(() => socket.destroy(), bodyIdleTimeoutMs);
    // Idle refreshes with every chunk; this one does not: a drip cannot keep the socket for long.
    const total = setTimeout(() => socket.destroy(), 4 * bodyIdleTimeoutMs);
    socket.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      linger.refresh();
      if (drained > LINGER_BYTES) socket.destroy();
    });
    socket.once('close', () => {
      clearTimeout(linger);
      clearTimeout(total);
    });
  });
}

/**
 * Server options: the TLS handshake and the request line and headers must arrive within
 * `headersTimeoutMs` (checked every `headersTimeoutMs / 4`, at most every second); request
 * bodies are bounded by the listener's own timers, with `requestBackstopMs` behind them.
 */
export function _serverTimeouts({ headersTimeoutMs, requestBackstopMs = 0 }: ListenerTimeouts): {
  handshakeTimeout: number;
  connectionsCheckingInterval: number;
  headersTimeout: number;
  requestTimeout: number;
} {
  return {
    handshakeTimeout: headersTimeoutMs,
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestBackstopMs,
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
  };
}

/** Checks the listener timeouts given to a module (a TypeError at construction). */
export function _checkTimeouts(module: string, timeouts: Record<string, number>): void {
  for (const [name, value] of Object.entries(timeouts)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new TypeError(`${module}: ${name} must be a positive integer`);
  }
}
