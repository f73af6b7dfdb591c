import { join } from 'node:path';
import type { SandboxMssConfig } from '../../config/sandbox-mss-schema.ts';
import { listenerUrl } from '../_url.ts';
import { FileMailStore } from '../imap/file-mail-store.ts';
import { startImapServer } from '../imap/start-imap-server.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import {
  DEFAULT_APPLICATION_MAILBOXES,
  DEFAULT_PSC_PROFESSIONALS,
  SANDBOX_PSC_CLIENT_ID,
} from '../psc/professionals.ts';
import { startPscStub } from '../psc/start-psc.ts';
import { introspectingAuthenticator } from './_authenticator.ts';
import { checkRelayOptions, createRelay, type MssRelayOptions } from './_relay.ts';
import { startSmtpServer } from './_smtp-server.ts';

export type { MssRelayOptions } from './_relay.ts';

/**
 * Another PSC the operator validates tokens against, instead of the sandbox's own stub: the
 * conformance application's PSC service (`passerelle mss conformance serve`), so a conformance
 * run can target the sandbox operator.
 */
export interface MssIntrospectionOptions {
  /** The issuer its tokens carry (`iss`). */
  readonly issuer: string;
  /** Its RFC 7662 introspection endpoint (https). */
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM trust anchors of its TLS certificate. */
  readonly ca: string;
}

function checkIntrospection(o: MssIntrospectionOptions): void {
  for (const [name, value] of [
    ['issuer', o.issuer],
    ['url', o.url],
  ] as const) {
    let u: URL | undefined;
    try {
      u = new URL(value);
    } catch {
      u = undefined;
    }
    if (u?.protocol !== 'https:')
      throw new TypeError(`mssModule: introspection.${name} must be an https URL`);
  }
  if (!o.clientId || !o.clientSecret)
    throw new TypeError('mssModule: introspection needs its client id and secret');
  if (!o.ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new TypeError('mssModule: introspection.ca must be PEM certificates');
}

export interface MssModuleOptions extends Omit<SandboxMssConfig, 'relay' | 'introspection'> {
  /** Validate tokens at this PSC (default: the sandbox's own stub). */
  readonly introspection?: MssIntrospectionOptions;
  /**
   * The operator's outbound relay (operator interface, seed 004): a recipient outside the
   * sandbox's mailboxes (and, with `domains`, of one of them) is taken and the message sent on to
   * this SMTP server, STARTTLS and TLS 1.2+ required, its certificate verified (against `ca`
   * when given); a relay failure answers 451 4.4.0. Absent (default): such recipients get 550.
   */
  readonly relay?: MssRelayOptions;
}

/** The `X-MSS-NIL` the sandbox client configuration sends (a software reference number). */
export const SANDBOX_MSS_NIL = 'PASSERELLE-SANDBOX';

/**
 * Sandbox module `mss`: the MSSanté side of the API LPS (PROTOCOLS.md §9). A Pro Santé Connect
 * stub (OpenID Connect, test login page, JWT access tokens, introspection with HTTP Basic) and
 * the operator's mail servers: IMAP on implicit TLS (offset 61, like 993) and STARTTLS (62,
 * like 143), SMTP submission on implicit TLS (63, like 465) and STARTTLS (64, like 587). Both
 * servers check every XOAUTH2 token by introspection against the stub, over HTTPS, as an
 * operator does, and refuse a token whose professional does not own the mailbox; applicative
 * mailboxes open with the partner's TLS certificate (AUTH_CLI). Mail lands in the recipients'
 * INBOX, persisted under `<stateDir>/mss/`; with `relay`, mail for other addresses goes on to
 * the relay's server.
 */
export function mssModule(options: MssModuleOptions = {}): SandboxModule {
  const professionals = options.professionals ?? DEFAULT_PSC_PROFESSIONALS;
  const applicationMailboxes = options.applicationMailboxes ?? DEFAULT_APPLICATION_MAILBOXES;
  const idleTimeoutMs = (options.idleTimeoutSeconds ?? 900) * 1000;
  const maxConnections = options.maxConnections ?? 2000;
  const maxMessageBytes = options.maxMessageBytes ?? 25 * 1024 * 1024;
  const mailboxes = [...professionals.flatMap((p) => p.mailboxes), ...applicationMailboxes];
  const seen = new Set<string>();
  for (const m of mailboxes) {
    if (seen.has(m.toLowerCase())) throw new TypeError(`mssModule: mailbox ${m} is given twice`);
    seen.add(m.toLowerCase());
  }
  if (options.relay) checkRelayOptions(options.relay);
  if (options.introspection) checkIntrospection(options.introspection);
  return {
    name: 'mss',
    ports: { psc: 60, imaps: 61, imap: 62, smtps: 63, submission: 64 },
    async start(ctx): Promise<StartedSandboxModule> {
      const tls = { key: ctx.pki.server.keyPem, cert: ctx.pki.server.certPem, ca: ctx.pki.ca.certPem };
      const closers: (() => Promise<void>)[] = [];
      const closeAll = async () => {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      };
      try {
        const psc = await startPscStub({
          host: ctx.host,
          port: ctx.port('psc'),
          tls,
          log: ctx.log,
          stateDir: join(ctx.stateDir, 'psc'),
          professionals,
          journal: ctx.journal,
          ...(options.accessTokenSeconds ? { accessTokenSeconds: options.accessTokenSeconds } : {}),
          ...(options.refreshTokenSeconds ? { refreshTokenSeconds: options.refreshTokenSeconds } : {}),
        });
        closers.push(() => psc.close());
        const other = options.introspection;
        const auth = introspectingAuthenticator({
          introspectionUrl: other?.url ?? psc.endpoints.introspection,
          clientId: other?.clientId ?? psc.introspectionClient.clientId,
          clientSecret: other?.clientSecret ?? psc.introspectionClient.clientSecret,
          ca: other?.ca ?? ctx.pki.ca.certPem,
          issuer: other?.issuer ?? psc.issuer,
          professionals,
          applicationMailboxes,
          applicationCertificates: [ctx.pki.partner.tls.certificate],
          log: ctx.log,
        });
        closers.push(() => auth.close());
        const store = new FileMailStore(join(ctx.stateDir, 'mss'), {
          mailboxes,
          maxMessageBytes,
          clock: ctx.clock,
        });
        const common = { host: ctx.host, tls, store, auth, log: ctx.log, clock: ctx.clock };
        const imap = {
          implicit: await startImapServer({
            ...common,
            port: ctx.port('imaps'),
            mode: 'implicit',
            idleTimeoutMs,
            maxConnections,
            maxMessageBytes,
          }),
        };
        closers.push(() => imap.implicit.close());
        const imapStarttls = await startImapServer({
          ...common,
          port: ctx.port('imap'),
          mode: 'starttls',
          idleTimeoutMs,
          maxConnections,
          maxMessageBytes,
        });
        closers.push(() => imapStarttls.close());
        const relay = options.relay
          ? createRelay(options.relay, ctx.log, 'smtp.sandbox.mssante.fr')
          : undefined;
        const smtpOptions = {
          ...common,
          idleTimeoutMs,
          maxConnections,
          maxMessageBytes,
          ...(relay ? { relay } : {}),
        };
        const smtps = await startSmtpServer({ ...smtpOptions, port: ctx.port('smtps'), mode: 'implicit' });
        closers.push(() => smtps.close());
        const submission = await startSmtpServer({
          ...smtpOptions,
          port: ctx.port('submission'),
          mode: 'starttls',
        });
        closers.push(() => submission.close());

        const endpoints = {
          'mss.psc': psc.issuer,
          'mss.imap': listenerUrl('imaps', ctx.host, imap.implicit.port),
          'mss.imap.starttls': listenerUrl('imap', ctx.host, imapStarttls.port),
          'mss.smtp': listenerUrl('smtps', ctx.host, smtps.port),
          'mss.smtp.starttls': listenerUrl('smtp', ctx.host, submission.port),
        };
        const first = professionals[0]?.mailboxes[0] as string;
        ctx.log.info(
          {
            ...endpoints,
            mailboxes: mailboxes.length,
            ...(options.relay ? { relay: `${options.relay.host}:${options.relay.port}` } : {}),
          },
          'mss listening',
        );
        const sum = (...all: Readonly<Record<string, number>>[]) => {
          const out: Record<string, number> = {};
          for (const s of all) for (const [k, v] of Object.entries(s)) out[k] = (out[k] ?? 0) + v;
          return out;
        };
        return {
          endpoints,
          info: {
            pscIssuer: psc.issuer,
            pscClientId: SANDBOX_PSC_CLIENT_ID,
            introspectionClientId: psc.introspectionClient.clientId,
            professionals: professionals.map((p) => ({
              rpps: p.rpps,
              name: p.name,
              mailboxes: [...p.mailboxes],
            })),
            applicationMailboxes: [...applicationMailboxes],
          },
          stats: () => {
            const imapStats = sum(imap.implicit.stats(), imapStarttls.stats());
            const smtpStats = sum(smtps.stats(), submission.stats());
            const out: Record<string, number> = {};
            for (const [k, v] of Object.entries(psc.stats())) out[`psc.${k}`] = v;
            for (const [k, v] of Object.entries(imapStats)) out[`imap.${k}`] = v;
            for (const [k, v] of Object.entries(smtpStats)) out[`smtp.${k}`] = v;
            return out;
          },
          clientConfig: {
            mss: {
              mailbox: first,
              imap: endpoints['mss.imap'],
              smtp: endpoints['mss.smtp'],
              ca: ctx.pki.caFile,
              psc: { issuer: psc.issuer, clientId: SANDBOX_PSC_CLIENT_ID, ca: ctx.pki.caFile },
              clientCertificate: {
                p12: ctx.pki.partner.files.tlsP12,
                password: { file: ctx.pki.partner.files.passwordFile },
              },
              nil: SANDBOX_MSS_NIL,
              tokenFile: join(ctx.stateDir, 'mss-token.json'),
            },
          },
          close: closeAll,
        };
      } catch (error) {
        await closeAll();
        throw error;
      }
    },
  };
}
