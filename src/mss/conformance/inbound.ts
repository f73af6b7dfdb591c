/**
 * The application's own SMTP receiver (seed 004, operator interface): the operator's MTA
 * delivers to the application's mailbox here, and the `operator-interface.inbound-delivery`
 * case reads what arrived through `waitFor`.
 *
 * Port-25 style: plain SMTP with STARTTLS offered and not required, so that the case can see
 * and report a delivery without TLS, or over TLS 1.0/1.1 (accepted here on purpose: the case,
 * not the receiver, judges the version). No AUTH. Only the application's address is a
 * recipient. For each message it keeps the TLS version, MAIL FROM, the header fields and the
 * size (not the body), at most `maxMessages` of them.
 */
import { type AddressInfo, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { MailAddressSchema } from '../../config/mss-schema.ts';
import { PasserelleError } from '../../errors.ts';
import { type Logger, silentLogger } from '../../log.ts';
import { HeaderCollector } from './_inbound-headers.ts';
import { InboundStore } from './_inbound-store.ts';
import type { InboundMailbox } from './runner-types.ts';

export interface InboundReceiverOptions {
  /** Listen address. */
  readonly host: string;
  /** Listen port; 0: an ephemeral one (see `port`). */
  readonly port: number;
  /** The application's mailbox (e.g. `conformance@app.example`): the only recipient accepted. */
  readonly address: string;
  /** PEM key and certificate offered by STARTTLS. */
  readonly tls: { readonly key: string; readonly cert: string };
  readonly log?: Logger;
  /** Largest message taken (default 10 MiB); a bigger one gets 552 and nothing is kept. */
  readonly maxMessageBytes?: number;
  /** Messages kept in memory, the oldest dropped first (default 1000). */
  readonly maxMessages?: number;
}

export interface InboundReceiver extends InboundMailbox {
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_MESSAGES = 1000;
/** Concurrent SMTP connections (an operator's MTA opens a few). */
const MAX_CLIENTS = 100;
/** A connection silent this long is closed (RFC 5321 §4.5.3.2 asks servers for 5 minutes). */
const SOCKET_TIMEOUT_MS = 5 * 60 * 1000;
const MAX_RECIPIENTS = 20;

/** An SMTP reply for smtp-server (`responseCode`); it goes to the peer, never to a user. */
class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

function usage(message: string, details: Record<string, string | number>): PasserelleError {
  return new PasserelleError('ERR_USAGE', `startInboundReceiver: ${message}`, { details });
}

function checkOptions(o: InboundReceiverOptions): { maxMessageBytes: number; maxMessages: number } {
  if (typeof o.host !== 'string' || o.host === '') throw usage('host must be a listen address', {});
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    throw usage('port must be an integer from 0 to 65535', { port: String(o.port) });
  if (typeof o.address !== 'string' || !MailAddressSchema.safeParse(o.address).success)
    throw usage('address must be an e-mail address (local@domain)', {
      address: String(o.address).slice(0, 120),
    });
  if (typeof o.tls?.key !== 'string' || typeof o.tls?.cert !== 'string' || !o.tls.key || !o.tls.cert)
    throw usage('tls.key and tls.cert must be PEM texts', {});
  const maxMessageBytes = o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1024)
    throw usage('maxMessageBytes must be an integer ≥ 1024', { maxMessageBytes: String(maxMessageBytes) });
  const maxMessages = o.maxMessages ?? DEFAULT_MAX_MESSAGES;
  if (!Number.isInteger(maxMessages) || maxMessages < 1)
    throw usage('maxMessages must be an integer ≥ 1', { maxMessages: String(maxMessages) });
  return { maxMessageBytes, maxMessages };
}

/**
 * Starts the receiver on `host:port`. Bad options: ERR_USAGE (an unusable key or certificate
 * too); the port cannot be listened on: ERR_SANDBOX_START, as the conformance application.
 */
export async function startInboundReceiver(o: InboundReceiverOptions): Promise<InboundReceiver> {
  const { maxMessageBytes, maxMessages } = checkOptions(o);
  const log = o.log ?? silentLogger;
  const address = o.address.toLowerCase();
  const store = new InboundStore(maxMessages);
  /** The TLS version of each session upgraded by STARTTLS. */
  const protocols = new Map<string, string | null>();
  const refuse = (code: number, message: string, reason: string, session: SMTPServerSession) => {
    log.info({ session: session.id, reason }, 'inbound smtp refused');
    return new SmtpReply(code, message);
  };

  let server: SMTPServer;
  try {
    server = new SMTPServer({
      secure: false,
      name: 'passerelle-conformance',
      banner: 'Passerelle MSSante conformance application',
      key: o.tls.key,
      cert: o.tls.cert,
      // Deliberately permissive: an MTA on TLS 1.0/1.1 must get through so that the case can
      // report the version it used (seed 004 tolerates TLS 1.0 until the end of the period).
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
      disabledCommands: ['AUTH'],
      authOptional: true,
      authMethods: [],
      size: maxMessageBytes,
      maxClients: MAX_CLIENTS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      closeTimeout: 1_000,
      disableReverseLookup: true,
      logger: false,
      onSecure(socket, session, callback) {
        protocols.set(session.id, (socket as TLSSocket).getProtocol());
        callback();
      },
      onClose(session) {
        protocols.delete(session.id);
      },
      onRcptTo(rcpt, session, callback) {
        if (rcpt.address.toLowerCase() !== address)
          return callback(refuse(550, '5.1.1 No such mailbox here', 'recipient-unknown', session));
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
          return callback(refuse(452, '4.5.3 Too many recipients', 'too-many-recipients', session));
        callback();
      },
      onData(stream, session, callback) {
        const headers = new HeaderCollector();
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (!stream.sizeExceeded) headers.push(chunk);
        });
        stream.once('error', (error) => callback(error));
        stream.once('end', () => {
          if (stream.sizeExceeded)
            return callback(refuse(552, '5.3.4 Message too big', 'too-large', session));
          const fields = headers.headers();
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const tlsProtocol = protocols.get(session.id) ?? null;
          const messageId = fields['message-id'] ?? '';
          const kept = store.add(messageId, { tlsProtocol, from, headers: fields, size });
          log.info(
            {
              session: session.id,
              from: from.slice(0, 200),
              messageId: messageId.slice(0, 200),
              tlsProtocol,
              bytes: size,
              kept,
            },
            kept ? 'inbound smtp received' : 'inbound smtp received, not kept (no or repeated Message-ID)',
          );
          callback(null, '2.0.0 Ok: received');
        });
      },
    });
  } catch (cause) {
    throw new PasserelleError(
      'ERR_USAGE',
      'startInboundReceiver: tls.key and tls.cert are not a usable PEM key and certificate',
      { cause },
    );
  }
  server.on('error', (error) =>
    log.warn({ reason: String(error.message).slice(0, 200) }, 'inbound smtp connection error'),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new PasserelleError(
      'ERR_SANDBOX_START',
      `The conformance SMTP receiver cannot listen on ${o.host}:${o.port} (${code})`,
      {
        hint:
          code === 'EADDRINUSE'
            ? 'The port is taken: choose another one, or 0 for an ephemeral port.'
            : undefined,
        details: { host: o.host, port: o.port, reason: code },
        cause,
      },
    );
  }
  const port = (server.server.address() as AddressInfo).port;
  log.info({ host: isIP(o.host) === 6 ? `[${o.host}]` : o.host, port, address }, 'inbound smtp listening');
  let closing: Promise<void> | undefined;
  return {
    address: o.address,
    port,
    waitFor: (messageId, timeoutMs, signal) => store.waitFor(messageId, timeoutMs, signal),
    close() {
      closing ??= new Promise<void>((resolve) => {
        store.close();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
