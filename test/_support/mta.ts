import type { AddressInfo } from 'node:net';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';

/** Where mail for a domain goes: SMTP with STARTTLS required (TLS ≥ 1.2, verified), or LMTP. */
export type MtaRoute =
  | {
      readonly kind: 'smtp';
      readonly host: string;
      readonly port: number;
      readonly ca: string;
      /** A lax MTA: delivers in clear even where STARTTLS is offered. */
      readonly clear?: boolean;
    }
  | { readonly kind: 'lmtp'; readonly port: number };

export interface TestMta {
  readonly port: number;
  /** Deliveries so far, one per (message, route). */
  readonly deliveries: readonly { readonly route: string; readonly to: readonly string[] }[];
  close(): Promise<void>;
}

const MAX_MESSAGE = 4 * 1024 * 1024;

/**
 * The operator's MTA behind Dovecot's submission service in the tests (submission_relay_host):
 * plain SMTP on loopback, no AUTH (the relay is trusted), each message routed by recipient
 * domain — the mailboxes' domain to Dovecot's LMTP, the application's domain to its SMTP
 * receiver — through nodemailer. A recipient of an unknown domain is refused (550); a failed
 * delivery answers 451 so the submitter knows.
 */
export async function startTestMta(
  t: { after: (fn: () => unknown) => void },
  routes: Readonly<Record<string, MtaRoute>>,
): Promise<TestMta> {
  const deliveries: { route: string; to: string[] }[] = [];
  const routeOf = (address: string) => routes[address.slice(address.lastIndexOf('@') + 1).toLowerCase()];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: MAX_MESSAGE,
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (!routeOf(address.address)) {
        const e = new Error('5.1.2 No route to that domain') as Error & { responseCode: number };
        e.responseCode = 550;
        return callback(e);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const byRoute = new Map<string, string[]>();
        for (const r of session.envelope.rcptTo) {
          const domain = r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase();
          byRoute.set(domain, [...(byRoute.get(domain) ?? []), r.address]);
        }
        Promise.all(
          [...byRoute].map(async ([domain, to]) => {
            const route = routes[domain];
            if (!route) throw new Error(`no route for ${domain}`);
            const transport = createTransport(
              route.kind === 'lmtp'
                ? { host: '127.0.0.1', port: route.port, lmtp: true, ignoreTLS: true }
                : route.clear
                  ? { host: route.host, port: route.port, secure: false, ignoreTLS: true }
                  : {
                      host: route.host,
                      port: route.port,
                      secure: false,
                      requireTLS: true,
                      tls: { ca: route.ca, minVersion: 'TLSv1.2', rejectUnauthorized: true },
                    },
            );
            try {
              await transport.sendMail({ envelope: { from, to }, raw });
              deliveries.push({ route: domain, to });
            } finally {
              transport.close();
            }
          }),
        ).then(
          () => callback(),
          (err: unknown) => {
            const e = new Error(`4.4.0 Relay failed: ${(err as Error).message}`) as Error & {
              responseCode: number;
            };
            e.responseCode = 451;
            callback(e);
          },
        );
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.server.once('listening', resolve);
    server.server.once('error', reject);
  });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t.after(close);
  return { port: (server.server.address() as AddressInfo).port, deliveries, close };
}
