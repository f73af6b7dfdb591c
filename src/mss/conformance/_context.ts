/**
 * What every probe gets, the outcome it returns, and the TLS settings probes connect with.
 * Probes that only observe the server's TLS (versions, certificate, capabilities) connect
 * without verifying the certificate, to report what they see; nothing secret is ever sent on
 * such a connection. Every probe that sends a token or a client certificate connects verified
 * (TLS ≥ 1.2, the target's trust anchors, host name checked) and fails closed otherwise.
 */
import { type ConnectionOptions, checkServerIdentity, type PeerCertificate } from 'node:tls';
import { assertSecureEnvironment } from '../../transport/secure-environment.ts';
import { ImapSession, type SessionOptions, SmtpSession } from './_sessions.ts';
import type { Transcript } from './_wire.ts';
import type { ConformanceTarget, InboundMailbox } from './runner-types.ts';

export interface TokenKit {
  /** A valid PSC token of the mailbox holder (the same one for the whole run). */
  valid(): Promise<string>;
  /** PSC-signed, exp two hours ago. */
  expired(): Promise<string>;
  /** Same claims, signed by another issuer's key. */
  foreign(): Promise<string>;
  /** PSC-signed, for another professional (another IdNat and mailbox). */
  otherProfessional(): Promise<string>;
  /** Introspection requests the PSC answered for `token`. */
  introspectionsOf(token: string): Promise<number>;
}

export interface CaseContext {
  readonly target: ConformanceTarget;
  readonly transcript: Transcript;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly tokens: TokenKit;
  /** A self-made CA and a client certificate of it naming the mailbox (untrusted by the operator). */
  readonly untrustedClient: () => Promise<{ certPem: string; keyPem: string }>;
  readonly inbound?: InboundMailbox | undefined;
  /** How long the idle-timeout case waits; absent: that case is skipped. */
  readonly idleWaitMs?: number | undefined;
  /** A unique suffix for message ids of this run. */
  readonly runId: string;
  readonly now: () => Date;
}

export type Outcome = {
  readonly status: 'passed' | 'failed' | 'not-applicable' | 'skipped';
  readonly message: string;
};

export type Probe = (ctx: CaseContext) => Promise<Outcome>;

export type Protocol = 'imap' | 'smtp';

export const pass = (message: string): Outcome => ({ status: 'passed', message });
export const fail = (message: string): Outcome => ({ status: 'failed', message });

export function sessionOptions(ctx: CaseContext, protocol: Protocol): SessionOptions {
  return {
    host: ctx.target.host,
    endpoint: ctx.target[protocol],
    timeoutMs: ctx.timeoutMs,
    transcript: ctx.transcript,
    signal: ctx.signal,
  };
}

/** An observing connection pinned to one TLS version (OpenSSL security level 0 so the client can offer old ones). */
export function observeTls(ctx: CaseContext, version: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2'): ConnectionOptions {
  return {
    minVersion: version,
    maxVersion: version,
    ciphers: 'DEFAULT@SECLEVEL=0',
    ca: ctx.target.ca,
    // Observation only: the certificate is reported by both.server-certificate; nothing secret is sent.
    rejectUnauthorized: false,
  };
}

/** A connection that may carry a credential: verified, TLS ≥ 1.2. */
export function verifiedTls(
  ctx: CaseContext,
  client?: { certPem: string; keyPem: string },
): ConnectionOptions {
  assertSecureEnvironment();
  const host = ctx.target.host;
  return {
    minVersion: 'TLSv1.2',
    ca: ctx.target.ca,
    rejectUnauthorized: true,
    checkServerIdentity: (_h: string, cert: PeerCertificate) => checkServerIdentity(host, cert),
    ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
  };
}

export function openSession(ctx: CaseContext, protocol: 'imap', tls: ConnectionOptions): Promise<ImapSession>;
export function openSession(ctx: CaseContext, protocol: 'smtp', tls: ConnectionOptions): Promise<SmtpSession>;
export function openSession(
  ctx: CaseContext,
  protocol: Protocol,
  tls: ConnectionOptions,
): Promise<ImapSession | SmtpSession>;
export function openSession(
  ctx: CaseContext,
  protocol: Protocol,
  tls: ConnectionOptions,
): Promise<ImapSession | SmtpSession> {
  const o = sessionOptions(ctx, protocol);
  return protocol === 'imap' ? ImapSession.open(o, tls) : SmtpSession.open(o, tls);
}

export async function closeSession(s: ImapSession | SmtpSession): Promise<void> {
  await (s instanceof ImapSession ? s.logout() : s.quit());
}

/** Runs `probe` for IMAP then SMTP; the case passes when both do. */
export async function onBoth(
  ctx: CaseContext,
  probe: (protocol: Protocol) => Promise<Outcome>,
): Promise<Outcome> {
  const outcomes: Outcome[] = [];
  for (const protocol of ['imap', 'smtp'] as const) {
    ctx.transcript.note(`— ${protocol.toUpperCase()} —`);
    outcomes.push(await probe(protocol));
  }
  const [imap, smtp] = outcomes as [Outcome, Outcome];
  const message = `IMAP: ${imap.message}; SMTP: ${smtp.message}`;
  if (outcomes.some((o) => o.status === 'failed')) return fail(message);
  if (outcomes.every((o) => o.status === 'not-applicable')) return { status: 'not-applicable', message };
  if (outcomes.some((o) => o.status === 'skipped')) return { status: 'skipped', message };
  return pass(message);
}

export const xoauth2 = (mailbox: string, token: string): string =>
  Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`, 'utf8').toString('base64');
