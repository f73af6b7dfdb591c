/**
 * The sandbox operator's outbound relay: mail for a recipient outside the sandbox's mailboxes
 * goes on, through nodemailer, to one SMTP server (an application's SMTP receiver, seed 004's
 * operator interface) — STARTTLS required, TLS 1.2 at least, the server certificate verified.
 */
import { isIP } from 'node:net';
import { createTransport } from 'nodemailer';
import type { Logger } from '../../log.ts';

export interface MssRelayOptions {
  /** The next hop's SMTP server (host name or IP literal); port-25 style, STARTTLS. */
  readonly host: string;
  readonly port: number;
  /** Trust anchors (PEM) for the next hop's certificate; default: Node's CA store. */
  readonly ca?: string;
  /** Only recipients of these domains are relayed (case-insensitive); default: any domain. */
  readonly domains?: readonly string[];
}

export interface Relay {
  /** Whether `address` (not a sandbox mailbox) is relayed. */
  accepts(address: string): boolean;
  /** Sends `raw` (the message as it goes on, Received line included) to `to`; rejects on failure. */
  forward(envelope: { readonly from: string; readonly to: readonly string[] }, raw: Buffer): Promise<void>;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;
const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Wrong relay options: a TypeError at construction, as the module's other checks. */
export function checkRelayOptions(relay: MssRelayOptions): void {
  if (typeof relay.host !== 'string' || relay.host === '' || /[\s/]/.test(relay.host))
    throw new TypeError('mssModule: relay.host must be a host name or an IP address');
  if (!Number.isInteger(relay.port) || relay.port < 1 || relay.port > 65535)
    throw new TypeError('mssModule: relay.port must be an integer from 1 to 65535');
  if (
    relay.ca !== undefined &&
    (typeof relay.ca !== 'string' || !relay.ca.includes('-----BEGIN CERTIFICATE-----'))
  )
    throw new TypeError('mssModule: relay.ca must be PEM certificates');
  for (const d of relay.domains ?? [])
    if (typeof d !== 'string' || !DOMAIN.test(d))
      throw new TypeError(`mssModule: relay domain ${d} is not a domain`);
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export function createRelay(options: MssRelayOptions, log: Logger, name: string): Relay {
  checkRelayOptions(options);
  const domains = options.domains ? new Set(options.domains.map((d) => d.toLowerCase())) : undefined;
  return {
    accepts: (address) => domains === undefined || domains.has(domainOf(address)),
    async forward(envelope, raw) {
      // Fail closed: STARTTLS is required (no fallback to plain SMTP), TLS 1.2 at least, the
      // chain verified against `ca` (or Node's store) and the server's identity checked. For a
      // host name, nodemailer sends it as SNI and Node checks it against the certificate; for an
      // IP literal no SNI is sent (RFC 6066 §3 forbids it) and Node checks the IP against the
      // certificate's IP addresses: the identity check is never switched off.
      const transport = createTransport({
        host: options.host,
        port: options.port,
        secure: false,
        requireTLS: true,
        ignoreTLS: false,
        name,
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        greetingTimeout: CONNECTION_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
        tls: {
          minVersion: 'TLSv1.2',
          rejectUnauthorized: true,
          ...(options.ca === undefined ? {} : { ca: options.ca }),
          ...(isIP(options.host) ? {} : { servername: options.host }),
        },
      });
      try {
        await transport.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw });
      } finally {
        transport.close();
      }
      log.info(
        { host: options.host, port: options.port, recipients: envelope.to.length, bytes: raw.length },
        'mss smtp relayed',
      );
    },
  };
}
