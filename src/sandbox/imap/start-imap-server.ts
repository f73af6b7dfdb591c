import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import { type Clock, systemClock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import { capabilities } from './_auth.ts';
import { runCommand } from './_dispatch.ts';
import { type ServerContext, Session } from './_session.ts';
import type { MailAuthenticator, MailStore } from './types.ts';

export interface ImapServerOptions {
  readonly host: string;
  /** 0 for an ephemeral port. */
  readonly port: number;
  /** `implicit`: TLS from the first byte (IMAPS); `starttls`: clear text until STARTTLS. */
  readonly mode: 'implicit' | 'starttls';
  readonly tls: {
    readonly key: string;
    readonly cert: string;
    /** PEM that client certificates (SASL EXTERNAL) must chain to. */
    readonly ca: string;
  };
  readonly store: MailStore;
  readonly auth: MailAuthenticator;
  readonly log: Logger;
  /** Autologout after this long without a command once authenticated (default 15 min). */
  readonly idleTimeoutMs?: number;
  /** The time a connection has to authenticate (default 60 s). */
  readonly preAuthTimeoutMs?: number;
  /** Connections beyond this are told `* BYE Too many connections` (default 2000). */
  readonly maxConnections?: number;
  /** The largest APPEND literal (default 25 MiB). */
  readonly maxMessageBytes?: number;
  /** The longest command line (default 64 KiB). */
  readonly maxLineBytes?: number;
  readonly clock?: Clock;
}

export interface ImapServer {
  readonly port: number;
  close(): Promise<void>;
  /** Counters: connections (open now), accepted, refusals, authenticated, authFailures, timeouts, commands... */
  stats(): Record<string, number>;
}

/**
 * The sandbox's IMAP server (a focused IMAP4rev1 subset, RFC 3501/9051): TLS 1.2+ (implicit or
 * STARTTLS), AUTHENTICATE XOAUTH2 (with the RFC 7628 failure exchange) and EXTERNAL, LOGIN refused.
 */
export async function startImapServer(options: ImapServerOptions): Promise<ImapServer> {
  const maxConnections = options.maxConnections ?? 2000;
  const tlsOptions = {
    key: options.tls.key,
    cert: options.tls.cert,
    ca: options.tls.ca,
    minVersion: 'TLSv1.2' as const,
  };
  const preAuthTimeoutMs = options.preAuthTimeoutMs ?? 60_000;
  const stats: Record<string, number> = {
    connections: 0,
    accepted: 0,
    refusals: 0,
    tooManyConnections: 0,
    tlsErrors: 0,
    authenticated: 0,
    authFailures: 0,
    timeouts: 0,
    commands: 0,
  };
  const ctx: ServerContext = {
    store: options.store,
    auth: options.auth,
    log: options.log,
    clock: options.clock ?? systemClock,
    mode: options.mode,
    secureContext: createSecureContext(tlsOptions),
    maxMessageBytes: options.maxMessageBytes ?? 25 * 1024 * 1024,
    maxLineBytes: options.maxLineBytes ?? 64 * 1024,
    idleTimeoutMs: options.idleTimeoutMs ?? 15 * 60_000,
    preAuthTimeoutMs,
    stats,
  };
  const sockets = new Set<Socket>();
  const greet = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (stats['connections']! >= maxConnections) {
      stats['tooManyConnections']!++;
      options.log.warn({ reason: 'too-many-connections', limit: maxConnections }, 'imap: refused');
      socket.on('error', () => undefined);
      socket.end('* BYE Too many connections\r\n');
      return;
    }
    stats['connections']!++;
    stats['accepted']!++;
    const session = new Session(socket, ctx, runCommand);
    session.write(`* OK [CAPABILITY ${capabilities(session)}] Passerelle sandbox IMAP ready\r\n`);
  };
  let server: Server;
  if (options.mode === 'implicit') {
    const tlsServer = createTlsServer({
      ...tlsOptions,
      // Responses go out as several writes (a literal's header, its bytes, the closing line):
      // with Nagle's algorithm each command would wait for the client's delayed ACK (~40 ms).
      noDelay: true,
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: Math.min(preAuthTimeoutMs, 120_000),
    });
    tlsServer.on('secureConnection', greet);
    tlsServer.on('tlsClientError', (e: Error & { code?: string }) => {
      stats['tlsErrors']!++;
      options.log.info({ reason: 'tls-handshake', code: e.code ?? e.message }, 'imap: refused');
    });
    server = tlsServer;
  } else {
    server = createNetServer({ noDelay: true }, greet);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.log.info({ host: options.host, port, mode: options.mode }, 'imap: listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    stats: () => ({ ...stats }),
  };
}
