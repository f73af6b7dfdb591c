import { connect, type TLSSocket } from 'node:tls';
import type { Credential } from '../../src/pki/credential.ts';

/** What came back on a raw connection until the server closed it. */
export interface RawExchange {
  /** The status code of the first response line (0 if none came). */
  readonly status: number;
  readonly headers: string;
  readonly body: string;
  /** The socket error the client saw, if any (EPIPE, ECONNRESET...). */
  readonly error: string | undefined;
}

/** Opens a TLS connection to the host of `url` (client certificate optional), resolved once secure. */
export function openTls(url: string, opts: { ca: string; client?: Credential }): Promise<TLSSocket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: u.hostname,
        port: Number(u.port),
        ca: opts.ca,
        servername: 'localhost',
        ...(opts.client ? { cert: opts.client.certPem, key: opts.client.keyPem } : {}),
      },
      () => {
        socket.off('error', reject);
        resolve(socket);
      },
    );
    socket.once('error', reject);
  });
}

/**
 * Everything the server sends until it closes the connection. The bound is an upper limit for
 * a failing test, not a timer the assertion races: the server is expected to close well before.
 */
export function untilClosed(socket: TLSSocket, boundMs = 20_000): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection within ${boundMs} ms`));
    }, boundMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: Error & { code?: string }) => {
      error = e.code ?? e.message;
    });
    socket.once('close', () => {
      clearTimeout(bound);
      const text = Buffer.concat(chunks).toString('utf8');
      const at = text.indexOf('\r\n\r\n');
      const head = at < 0 ? text : text.slice(0, at);
      const raw = at < 0 ? '' : text.slice(at + 4);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        headers: head,
        body: /^transfer-encoding: chunked$/im.test(head) ? _dechunk(raw) : raw,
        error,
      });
    });
    socket.resume();
  });
}

/** The data of a chunked body (ASCII test replies only). */
function _dechunk(raw: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    const size = eol < 0 ? 0 : Number.parseInt(raw.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += raw.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** The request line and headers of a POST (the body, if any, is written by the caller). */
export function postHead(url: string, headers: Record<string, string | number>): string {
  const u = new URL(url);
  const lines = Object.entries({ host: u.host, ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `POST ${u.pathname} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Writes the whole request before reading anything, like python's http.client: reading is
 * paused until the last body byte is handed to the socket. A server that closes before
 * reading the body makes this client fail with EPIPE or ECONNRESET instead of reading the reply.
 */
export async function writeThenRead(
  url: string,
  opts: { ca: string; client?: Credential; headers: Record<string, string | number>; bodyBytes: number },
): Promise<RawExchange> {
  const socket = await openTls(url, opts);
  socket.pause();
  let error: string | undefined;
  socket.on('error', (e: Error & { code?: string }) => {
    error ??= e.code ?? e.message;
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = opts.bodyBytes;
  socket.write(postHead(url, { ...opts.headers, 'content-length': opts.bodyBytes }));
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (left > 0 && !socket.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!socket.write(chunk.subarray(0, n))) {
          socket.once('drain', pump);
          return;
        }
      }
      resolve();
    };
    socket.once('close', () => resolve());
    pump();
  });
  const reply = await untilClosed(socket);
  return { ...reply, error: error ?? reply.error };
}

/** Writes one space every `everyMs` until the socket closes (a client that never finishes its body). */
export function drip(socket: TLSSocket, everyMs = 40): void {
  const timer = setInterval(() => socket.write(' '), everyMs);
  socket.once('close', () => clearInterval(timer));
}
