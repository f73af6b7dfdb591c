import { randomUUID, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { MailAuthenticator, MailStore } from '../imap/types.ts';
import type { Relay } from './_relay.ts';

export interface SmtpServerOptions {
  readonly host: string;
  readonly port: number;
  /** `implicit`: TLS from the first byte (465); `starttls`: submission (587), AUTH only after STARTTLS. */
  readonly mode: 'implicit' | 'starttls';
  readonly tls: { readonly key: string; readonly cert: string; readonly ca: string };
  readonly store: MailStore;
  readonly auth: MailAuthenticator;
  readonly log: Logger;
  readonly clock: Clock;
  readonly idleTimeoutMs: number;
  readonly maxConnections: number;
  readonly maxMessageBytes: number;
  readonly serverName?: string;
  /** Where mail for recipients outside the sandbox's mailboxes goes; absent: they get 550. */
  readonly relay?: Relay;
}

export interface RunningSmtpServer {
  readonly port: number;
  stats(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_RECIPIENTS = 100;

/**
 * The sandbox operator's SMTP submission server on smtp-server: AUTH XOAUTH2 only, and only
 * under TLS (TLS 1.2+); a failed XOAUTH2 gets the RFC 7628 challenge (334 + base64 JSON) then
 * 535. AUTH_CLI sessions (a verified TLS client certificate registered for an applicative
 * mailbox) send without AUTH. The sender must be the authenticated mailbox, recipients must be
 * mailboxes of the sandbox — or, with a relay, addresses it takes; each message lands in every
 * local recipient's INBOX as sent (headers, `X-MSS-*` included, untouched) after a `Received:`
 * line, and goes on to the relay's server for the others, with the same `Received:` line.
 *
 * One reply covers the whole message (RFC 5321 §4.2.5): the relay is tried first, and when it
 * fails the submitter gets 451 4.4.0 and nothing is stored, so that its retry delivers every
 * recipient once (the sandbox keeps no queue). Once relayed, local recipients get the message.
 */
export async function startSmtpServer(options: SmtpServerOptions): Promise<RunningSmtpServer> {
  const { store, auth, log } = options;
  const stats = {
    connections: 0,
    authenticated: 0,
    authRefused: 0,
    delivered: 0,
    refused: 0,
    relayed: 0,
    relayFailed: 0,
  };
  const { relay } = options;
  const certificates = new Map<string, X509Certificate>();
  const serverName = options.serverName ?? 'smtp.sandbox.mssante.fr';
  const refuse = (code: number, message: string, reason: string, session: SMTPServerSession) => {
    stats.refused++;
    log.info({ session: session.id, reason }, 'mss smtp refused');
    return new SmtpReply(code, message);
  };

  const serverOptions: SMTPServerOptions = {
    secure: options.mode === 'implicit',
    name: serverName,
    banner: 'Passerelle sandbox MSSanté operator',
    key: options.tls.key,
    cert: options.tls.cert,
    ca: options.tls.ca,
    minVersion: 'TLSv1.2',
    requestCert: true,
    rejectUnauthorized: false,
    authMethods: ['XOAUTH2'],
    allowInsecureAuth: false,
    authOptional: true,
    size: options.maxMessageBytes,
    maxClients: options.maxConnections,
    socketTimeout: options.idleTimeoutMs,
    closeTimeout: 1_000,
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      stats.connections++;
      // AUTH is neither advertised nor accepted before TLS (smtp-server would advertise it).
      if (!session.secure) session.disabledCommands = ['AUTH'];
      callback();
    },
    onSecure(socket, session, callback) {
      session.disabledCommands = [];
      const tls = socket as TLSSocket;
      if (tls.authorized) {
        const raw = tls.getPeerCertificate(false)?.raw;
        if (raw) certificates.set(session.id, new X509Certificate(raw));
      }
      callback();
    },
    onClose(session) {
      certificates.delete(session.id);
    },
    onAuth(request, _session, callback) {
      if (request.method !== 'XOAUTH2' || !request.accessToken || !request.username) {
        stats.authRefused++;
        callback(new SmtpReply(504, '5.5.4 Only XOAUTH2 is offered'));
        return;
      }
      const user = request.username;
      auth.xoauth2(user, request.accessToken).then(
        (result) => {
          if (result.ok) {
            stats.authenticated++;
            callback(null, { user: result.mailbox });
            return;
          }
          stats.authRefused++;
          log.info({ user: user.slice(0, 200), reason: result.reason }, 'mss smtp token refused');
          callback(null, {
            data: { status: result.status, schemes: 'bearer', scope: 'openid scope_all' },
          } as unknown as { user: string });
        },
        (error: unknown) => callback(error as Error),
      );
    },
    onMailFrom(address, session, callback) {
      const from = address.address.toLowerCase();
      if (typeof session.user === 'string') {
        if (session.user !== from)
          return callback(
            refuse(553, '5.7.1 Sender is not the authenticated mailbox', 'sender-mismatch', session),
          );
        return callback();
      }
      const result = auth.external(certificates.get(session.id), from);
      if (!result.ok) return callback(refuse(530, '5.7.0 Authentication required', result.reason, session));
      session.user = result.mailbox;
      callback();
    },
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
        return callback(refuse(452, '4.5.3 Too many recipients', 'too-many-recipients', session));
      if (!store.hasMailbox(address.address) && !relay?.accepts(address.address))
        return callback(refuse(550, '5.1.1 No such mailbox here', 'recipient-unknown', session));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.once('error', (error) => callback(error));
      stream.once('end', () => {
        if (stream.sizeExceeded) {
          callback(refuse(552, '5.3.4 Message too big', 'too-large', session));
          return;
        }
        const id = randomUUID();
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const received = Buffer.from(
          `Received: from ${session.clientHostname} by ${serverName} with ESMTPSA id ${id};\r\n` +
            ` ${new Date(options.clock.now()).toUTCString()}\r\n`,
        );
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const local = recipients.filter((r) => store.hasMailbox(r));
        const remote = recipients.filter((r) => !store.hasMailbox(r));
        const raw = Buffer.concat([Buffer.from(`Return-Path: <${from}>\r\n`), received, ...chunks]);
        const relayed =
          remote.length > 0 && relay
            ? relay.forward({ from, to: remote }, Buffer.concat([received, ...chunks])).then(
                () => {
                  stats.relayed++;
                },
                (error: unknown) => {
                  stats.relayFailed++;
                  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
                  log.warn(
                    {
                      session: session.id,
                      recipients: remote.length,
                      code: String(e?.code ?? ''),
                      responseCode: Number(e?.responseCode ?? 0),
                      reason: String(e?.message ?? error).slice(0, 200),
                    },
                    'mss smtp relay failed',
                  );
                  throw refuse(451, '4.4.0 Relay failed, try again later', 'relay-failed', session);
                },
              )
            : Promise.resolve();
        relayed
          .then(() => Promise.all(local.map((r) => store.append(r.toLowerCase(), 'INBOX', raw))))
          .then(
            () => {
              stats.delivered++;
              log.info(
                {
                  session: session.id,
                  from: session.user,
                  recipients: local.length,
                  relayed: remote.length,
                  bytes: raw.length,
                },
                'mss smtp delivered',
              );
              callback(null, `2.0.0 Ok: queued as ${id}`);
            },
            (error: unknown) => callback(error as Error),
          );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', (error) => log.warn({ reason: String(error.message).slice(0, 200) }, 'mss smtp error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    stats: () => ({ ...stats }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
