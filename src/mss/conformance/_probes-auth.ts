/**
 * The authentication probes: PSC tokens (valid, expired, foreign issuer, other professional),
 * malformed XOAUTH2, the RFC 7628 failure dialogue, client certificates (AUTH_CLI).
 */
import {
  type CaseContext,
  closeSession,
  fail,
  type Outcome,
  onBoth,
  openSession,
  type Probe,
  type Protocol,
  pass,
  verifiedTls,
  xoauth2,
} from './_context.ts';
import { type ImapSession, type SaslOutcome, SmtpSession } from './_sessions.ts';
import { WireError } from './_wire.ts';

/** The SASL outcome, and whether the SMTP server advertised ENHANCEDSTATUSCODES (RFC 2034). */
async function tryXoauth2(
  ctx: CaseContext,
  protocol: Protocol,
  initial: string,
): Promise<SaslOutcome & { readonly enhancedCodes: boolean }> {
  const s = await openSession(ctx, protocol, verifiedTls(ctx));
  try {
    const enhancedCodes = s instanceof SmtpSession && s.ehlo.some((l) => /^ENHANCEDSTATUSCODES\b/i.test(l));
    return { ...(await s.authenticate('XOAUTH2', initial)), enhancedCodes };
  } finally {
    await closeSession(s);
  }
}

function tokenAccepted(protocol: Protocol): Probe {
  return async (ctx) => {
    const r = await tryXoauth2(ctx, protocol, xoauth2(ctx.target.mailbox, await ctx.tokens.valid()));
    return r.accepted
      ? pass(`valid PSC token accepted (${r.final.slice(0, 120)})`)
      : fail(`valid PSC token refused (${r.final.slice(0, 160)})`);
  };
}

function tokenRefused(what: string, token: (ctx: CaseContext) => Promise<string>): Probe {
  return async (ctx) => {
    const t = await token(ctx);
    return onBoth(ctx, async (protocol) => {
      const r = await tryXoauth2(ctx, protocol, xoauth2(ctx.target.mailbox, t));
      return r.accepted
        ? fail(`${what} accepted (${r.final.slice(0, 120)})`)
        : pass(`${what} refused (${r.final.slice(0, 120)})`);
    });
  };
}

const malformed: Probe = async (ctx) => {
  const token = await ctx.tokens.valid();
  const variants = [
    {
      label: 'fields without ^A separators',
      value: Buffer.from(`user=${ctx.target.mailbox} auth=Bearer ${token}`).toString('base64'),
    },
    { label: 'not base64', value: '%%not-base64%%' },
    { label: 'no auth field', value: Buffer.from(`user=${ctx.target.mailbox}\x01\x01`).toString('base64') },
  ];
  return onBoth(ctx, async (protocol) => {
    const accepted: string[] = [];
    for (const v of variants) {
      ctx.transcript.note(`variant: ${v.label}`);
      const r = await tryXoauth2(ctx, protocol, v.value);
      if (r.accepted) accepted.push(v.label);
    }
    return accepted.length > 0
      ? fail(`malformed XOAUTH2 accepted: ${accepted.join(', ')}`)
      : pass(`${variants.length} malformed responses refused`);
  });
};

/**
 * RFC 7628 §3.2.2: one challenge of base64 JSON with `status`, then the final refusal: IMAP NO;
 * SMTP 535 (RFC 4954), with the enhanced code 5.7.8 when the server advertised
 * ENHANCEDSTATUSCODES (RFC 2034 makes it mandatory then, and only then).
 */
function checkFailureExchange(
  protocol: Protocol,
  r: SaslOutcome & { readonly enhancedCodes: boolean },
): Outcome {
  if (r.accepted) return fail('the expired token was accepted, no failure exchange');
  const problems: string[] = [];
  if (r.challenges.length !== 1) problems.push(`${r.challenges.length} challenges instead of 1`);
  else {
    let status: unknown;
    try {
      status = (
        JSON.parse(Buffer.from(r.challenges[0] ?? '', 'base64').toString('utf8')) as { status?: unknown }
      ).status;
    } catch {
      problems.push('the challenge is not base64 JSON');
    }
    if (problems.length === 0 && (typeof status !== 'string' || !/^\d{3}$/.test(status)))
      problems.push('the challenge JSON has no status');
  }
  if (protocol === 'imap' && !/^\S+\s+NO\b/i.test(r.final))
    problems.push(`final answer is not NO: ${r.final.slice(0, 80)}`);
  if (protocol === 'smtp' && !(r.enhancedCodes ? /^535[ -]5\.7\.8\b/ : /^535[ -]/).test(r.final))
    problems.push(`final answer is not 535${r.enhancedCodes ? ' 5.7.8' : ''}: ${r.final.slice(0, 80)}`);
  return problems.length > 0
    ? fail(problems.join('; '))
    : pass('challenge with status, empty client response, then refusal');
}

const failureExchange: Probe = async (ctx) => {
  const token = await ctx.tokens.expired();
  return onBoth(ctx, async (protocol) =>
    checkFailureExchange(protocol, await tryXoauth2(ctx, protocol, xoauth2(ctx.target.mailbox, token))),
  );
};

/** EXTERNAL with the mailbox as authorization identity; SMTP without EXTERNAL: the sender accepted for the certificate. */
async function withCertificate(
  ctx: CaseContext,
  protocol: Protocol,
  client: { certPem: string; keyPem: string },
): Promise<{ accepted: boolean; detail: string }> {
  const mailbox = ctx.target.clientCertificateMailbox ?? ctx.target.mailbox;
  const authzid = Buffer.from(mailbox, 'utf8').toString('base64');
  let s: ImapSession | SmtpSession;
  try {
    s = await openSession(ctx, protocol, verifiedTls(ctx, client));
  } catch (e) {
    if (e instanceof WireError && (e.kind === 'tls' || e.kind === 'closed'))
      return { accepted: false, detail: `TLS handshake refused (${e.causeCode ?? e.kind})` };
    throw e;
  }
  try {
    if (s instanceof SmtpSession) {
      if (SmtpSession.mechanisms(s.ehlo).has('EXTERNAL')) {
        const r = await s.authenticate('EXTERNAL', authzid);
        return { accepted: r.accepted, detail: r.final };
      }
      const r = await s.command(`MAIL FROM:<${mailbox}>`);
      await s.command('RSET').catch(() => undefined);
      return { accepted: r.final.startsWith('250'), detail: `MAIL FROM: ${r.final}` };
    }
    if (!s.caps.has('AUTH=EXTERNAL')) return { accepted: false, detail: 'AUTH=EXTERNAL not advertised' };
    const r = await s.authenticate('EXTERNAL', authzid);
    return { accepted: r.accepted, detail: r.final };
  } catch (e) {
    if (e instanceof WireError && e.kind === 'closed')
      return { accepted: false, detail: `connection closed (${e.message})` };
    throw e;
  } finally {
    await closeSession(s);
  }
}

const certificateAccepted: Probe = async (ctx) => {
  const client = ctx.target.clientCertificate;
  if (!client) return { status: 'skipped', message: 'no client certificate given for the AUTH_CLI cases' };
  return onBoth(ctx, async (protocol) => {
    const r = await withCertificate(ctx, protocol, client);
    return r.accepted
      ? pass(`client certificate accepted (${r.detail.slice(0, 120)})`)
      : fail(`client certificate refused (${r.detail.slice(0, 160)})`);
  });
};

const untrustedRefused: Probe = async (ctx) => {
  const client = await ctx.untrustedClient();
  return onBoth(ctx, async (protocol) => {
    const r = await withCertificate(ctx, protocol, client);
    return r.accepted
      ? fail(`self-signed client certificate accepted (${r.detail.slice(0, 120)})`)
      : pass(`untrusted client certificate refused (${r.detail.slice(0, 120)})`);
  });
};

export const AUTH_PROBES: Readonly<Record<string, Probe>> = {
  'imap.psc-token-accepted': tokenAccepted('imap'),
  'smtp.psc-token-accepted': tokenAccepted('smtp'),
  'both.expired-token-refused': tokenRefused('expired PSC token', (ctx) => ctx.tokens.expired()),
  'both.foreign-issuer-token-refused': tokenRefused('token of another issuer', (ctx) => ctx.tokens.foreign()),
  'both.other-professional-token-refused': tokenRefused('token of another professional', (ctx) =>
    ctx.tokens.otherProfessional(),
  ),
  'both.malformed-xoauth2-refused': malformed,
  'both.rfc7628-failure-exchange': failureExchange,
  'both.client-certificate-accepted': certificateAccepted,
  'both.untrusted-client-certificate-refused': untrustedRefused,
};
