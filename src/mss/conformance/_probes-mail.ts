/**
 * The mail probes: SMTP → IMAP round trip, delivery by the operator to the application's own
 * mailbox (operator interface), use of the application's PSC, session idle timeout.
 */
import {
  type CaseContext,
  closeSession,
  fail,
  openSession,
  type Probe,
  pass,
  verifiedTls,
  xoauth2,
} from './_context.ts';
import type { ImapSession, SmtpSession } from './_sessions.ts';
import { WireError } from './_wire.ts';

const NIL = 'PASSERELLE-CONFORMANCE';

function messageId(ctx: CaseContext, what: string): string {
  return `<conformance-${ctx.runId}-${what}@passerelle.invalid>`;
}

/** A session authenticated with the run's valid token; throws StepFailed on a refusal. */
async function withToken(ctx: CaseContext, protocol: 'smtp'): Promise<SmtpSession>;
async function withToken(ctx: CaseContext, protocol: 'imap'): Promise<ImapSession>;
async function withToken(ctx: CaseContext, protocol: 'imap' | 'smtp'): Promise<ImapSession | SmtpSession> {
  const s = await openSession(ctx, protocol, verifiedTls(ctx));
  const auth = await s.authenticate('XOAUTH2', xoauth2(ctx.target.mailbox, await ctx.tokens.valid()));
  if (!auth.accepted) {
    await closeSession(s);
    throw new StepFailed(`${protocol.toUpperCase()} authentication refused (${auth.final.slice(0, 120)})`);
  }
  return s;
}

/** Sends one short text message; throws StepFailed on a refusal. */
async function send(ctx: CaseContext, to: string, id: string, subject: string): Promise<void> {
  const s = await withToken(ctx, 'smtp');
  try {
    const steps: [string, RegExp][] = [
      [`MAIL FROM:<${ctx.target.mailbox}>`, /^250/],
      [`RCPT TO:<${to}>`, /^25[01]/],
      ['DATA', /^354/],
    ];
    for (const [command, ok] of steps) {
      const r = await s.command(command);
      if (!ok.test(r.final))
        throw new StepFailed(`${command.split(':')[0]} refused (${r.final.slice(0, 120)})`);
    }
    const lines = [
      `From: <${ctx.target.mailbox}>`,
      `To: <${to}>`,
      `Subject: ${subject}`,
      `Date: ${ctx.now().toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: ${id}`,
      `X-MSS-NIL: ${NIL}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Message de test de conformite API LPS (Passerelle).',
    ];
    for (const line of lines) s.wire.send(line.startsWith('.') ? `.${line}` : line);
    const r = await s.command('.');
    if (!r.final.startsWith('250')) throw new StepFailed(`message refused (${r.final.slice(0, 120)})`);
  } finally {
    await s.quit();
  }
}

/** Polls the INBOX for `id` until the deadline (backing off from 200 ms to 2 s). */
async function findInInbox(
  ctx: CaseContext,
  s: ImapSession,
  id: string,
  deadline: number,
): Promise<number | undefined> {
  let delay = 200;
  for (;;) {
    const select = await s.command('SELECT INBOX');
    if (!/^\S+\s+OK\b/i.test(select.final))
      throw new StepFailed(`SELECT INBOX refused (${select.final.slice(0, 120)})`);
    const r = await s.command(`UID SEARCH HEADER Message-ID "${id}"`);
    const found = r.lines.find((l) => /^\*\s+SEARCH\s+\d/i.test(l));
    if (found) return Number(found.replace(/^\*\s+SEARCH\s+/i, '').split(/\s+/)[0]);
    if (Date.now() + delay > deadline || ctx.signal.aborted) return undefined;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2000);
  }
}

const roundTrip: Probe = async (ctx) => {
  const id = messageId(ctx, 'round-trip');
  const subject = `Passerelle conformance ${ctx.runId}`;
  try {
    await send(ctx, ctx.target.mailbox, id, subject);
    const s = await withToken(ctx, 'imap');
    try {
      const uid = await findInInbox(ctx, s, id, Date.now() + ctx.timeoutMs / 2);
      if (uid === undefined)
        return fail(`sent, but not in the INBOX within ${Math.round(ctx.timeoutMs / 2000)} s`);
      const r = await s.command(`UID FETCH ${uid} (BODY.PEEK[HEADER.FIELDS (SUBJECT X-MSS-NIL)])`);
      const text = r.lines.join('\n');
      const problems = [
        text.includes(subject) ? '' : 'subject changed',
        text.includes(`X-MSS-NIL: ${NIL}`) ? '' : 'X-MSS-NIL missing',
      ].filter(Boolean);
      await s.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
      await s.command('EXPUNGE');
      return problems.length === 0
        ? pass(`sent by SMTP and read back by IMAP (UID ${uid}) with its subject and X-MSS-NIL`)
        : fail(`read back, but ${problems.join(' and ')}`);
    } finally {
      await s.logout();
    }
  } catch (e) {
    if (e instanceof StepFailed) return fail(e.message);
    throw e;
  }
};

const inbound: Probe = async (ctx) => {
  if (!ctx.inbound)
    return { status: 'skipped', message: 'no application mailbox (SMTP receiver) configured for this run' };
  const id = messageId(ctx, 'inbound');
  try {
    await send(ctx, ctx.inbound.address, id, `Passerelle conformance interface ${ctx.runId}`);
  } catch (e) {
    if (e instanceof StepFailed)
      return fail(`the operator did not take the message for ${ctx.inbound.address}: ${e.message}`);
    throw e;
  }
  ctx.transcript.note(`waiting for ${id} at ${ctx.inbound.address}`);
  const got = await ctx.inbound.waitFor(id, ctx.timeoutMs / 2, ctx.signal);
  if (!got)
    return fail(`not delivered to ${ctx.inbound.address} within ${Math.round(ctx.timeoutMs / 2000)} s`);
  ctx.transcript.note(`received from ${got.from} over ${got.tlsProtocol ?? 'no TLS'}, ${got.size} bytes`);
  if (got.tlsProtocol !== 'TLSv1.2' && got.tlsProtocol !== 'TLSv1.3')
    return fail(`delivered over ${got.tlsProtocol ?? 'plain SMTP'}, TLS 1.2 required`);
  if (got.headers['x-mss-nil'] !== NIL)
    return fail('delivered, but the X-MSS-NIL header was changed or removed');
  return pass(`delivered to the application's mailbox over ${got.tlsProtocol}`);
};

const introspectionUsed: Probe = async (ctx) => {
  const n = await ctx.tokens.introspectionsOf(await ctx.tokens.valid());
  return n > 0
    ? pass(`the operator introspected the run's token ${n} time(s)`)
    : fail(
        "the application's PSC saw no introspection of the run's token (local validation, or another PSC configured)",
      );
};

const idleTimeout: Probe = async (ctx) => {
  const wait = ctx.idleWaitMs;
  if (wait === undefined)
    return { status: 'skipped', message: 'not asked for (it takes the idle period, 15 minutes by the seed)' };
  const s = await withToken(ctx, 'imap').catch((e: unknown) => {
    if (e instanceof StepFailed) return e;
    throw e;
  });
  if (s instanceof StepFailed) return fail(s.message);
  const start = Date.now();
  try {
    for (;;) {
      const line = await s.wire.readLine(Math.max(1, wait - (Date.now() - start)));
      if (/^\*\s+BYE\b/i.test(line))
        return pass(`the server closed the idle session after ${Math.round((Date.now() - start) / 1000)} s`);
    }
  } catch (e) {
    if (e instanceof WireError && e.kind === 'closed')
      return pass(`the server closed the idle session after ${Math.round((Date.now() - start) / 1000)} s`);
    if (e instanceof WireError && e.kind === 'timeout')
      return fail(`the session was still open after ${Math.round(wait / 1000)} s idle`);
    throw e;
  } finally {
    s.wire.close();
  }
};

class StepFailed extends Error {}

export const MAIL_PROBES: Readonly<Record<string, Probe>> = {
  'both.smtp-imap-round-trip': roundTrip,
  'operator-interface.inbound-delivery': inbound,
  'psc.introspection-used': introspectionUsed,
  'both.session-idle-timeout': idleTimeout,
};
