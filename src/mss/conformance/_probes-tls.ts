/**
 * The TLS and advertisement probes: versions, server certificate and host name, mechanisms
 * before and after TLS.
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import {
  type CaseContext,
  closeSession,
  fail,
  type Outcome,
  observeTls,
  onBoth,
  openSession,
  type Probe,
  type Protocol,
  pass,
  sessionOptions,
} from './_context.ts';
import { ImapSession, SmtpSession } from './_sessions.ts';
import { WireError } from './_wire.ts';

type Version = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';
const NAMES: Record<Version, string> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2' };

/** Connects pinned to `version`: the negotiated protocol, or the refusal (TCP reached, TLS failed). */
async function handshake(
  ctx: CaseContext,
  protocol: Protocol,
  version: Version,
): Promise<{ agreed: string; certificate: PeerCertificate | undefined } | { refused: string }> {
  try {
    const s = await openSession(ctx, protocol, observeTls(ctx, version));
    const info = s.wire.tlsInfo();
    await closeSession(s);
    return { agreed: info?.protocol ?? '?', certificate: info?.certificate };
  } catch (e) {
    if (e instanceof WireError && (e.kind === 'tls' || e.kind === 'closed'))
      return { refused: `${e.causeCode ?? e.kind}: ${e.message}`.slice(0, 300) };
    throw e;
  }
}

function accepted(protocol: Protocol): Probe {
  return async (ctx) => {
    const r = await handshake(ctx, protocol, 'TLSv1.2');
    if ('refused' in r) return fail(`TLS 1.2 handshake refused (${r.refused})`);
    return r.agreed === 'TLSv1.2'
      ? pass('TLS 1.2 negotiated')
      : fail(`negotiated ${r.agreed} when only TLS 1.2 was offered`);
  };
}

function refused(protocol: Protocol, version: Version): Probe {
  return async (ctx) => {
    const r = await handshake(ctx, protocol, version);
    if ('refused' in r) return pass(`${NAMES[version]} refused (${r.refused})`);
    return fail(`${NAMES[version]} accepted (negotiated ${r.agreed})`);
  };
}

function certificateOf(ctx: CaseContext, protocol: Protocol) {
  return openSession(ctx, protocol, observeTls(ctx, 'TLSv1.2')).then(async (s) => {
    const info = s.wire.tlsInfo();
    await closeSession(s);
    return info;
  });
}

const describeCert = (c: PeerCertificate | undefined) =>
  c
    ? `subject CN=${c.subject?.CN ?? '?'}, issuer CN=${c.issuer?.CN ?? '?'}, valid ${c.valid_from} → ${c.valid_to}`
    : 'none';

const serverCertificate: Probe = (ctx) =>
  onBoth(ctx, async (protocol) => {
    const info = await certificateOf(ctx, protocol);
    ctx.transcript.note(`certificate: ${describeCert(info?.certificate)}`);
    if (!info?.authorized)
      return fail(`certificate not trusted (${info?.authorizationError ?? 'no certificate'})`);
    return pass('certificate chains to the trust anchors and is valid now');
  });

const serverHostname: Probe = (ctx) =>
  onBoth(ctx, async (protocol) => {
    const info = await certificateOf(ctx, protocol);
    const cert = info?.certificate;
    if (!cert?.subject) return fail('no certificate');
    const err = checkServerIdentity(ctx.target.host, cert);
    ctx.transcript.note(`subjectaltname: ${cert.subjectaltname ?? '(none)'}`);
    return err
      ? fail(`certificate does not name ${ctx.target.host} (${err.message.slice(0, 200)})`)
      : pass(`certificate names ${ctx.target.host}`);
  });

const imapAdvertised: Probe = async (ctx) => {
  const s = await openSession(ctx, 'imap', observeTls(ctx, 'TLSv1.2'));
  await s.logout();
  const missing = ['SASL-IR', 'AUTH=XOAUTH2'].filter((c) => !s.caps.has(c));
  return missing.length === 0
    ? pass('SASL-IR and AUTH=XOAUTH2 advertised after TLS')
    : fail(`missing after TLS: ${missing.join(', ')}`);
};

const smtpAdvertised: Probe = async (ctx) => {
  const s = await openSession(ctx, 'smtp', observeTls(ctx, 'TLSv1.2'));
  await s.quit();
  return SmtpSession.mechanisms(s.ehlo).has('XOAUTH2')
    ? pass('XOAUTH2 in the EHLO AUTH line after TLS')
    : fail('XOAUTH2 not in the EHLO AUTH line after TLS');
};

/** What a STARTTLS endpoint offers before TLS; undefined on an implicit-TLS port. */
async function beforeTls(ctx: CaseContext, protocol: Protocol) {
  if (ctx.target[protocol].tls === 'implicit') return undefined;
  const o = sessionOptions(ctx, protocol);
  if (protocol === 'imap') {
    const s = await ImapSession.openPlain(o);
    const mechanisms = [...s.caps].filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
    const loginDisabled = s.caps.has('LOGINDISABLED');
    // The decisive test: does the server take a plaintext LOGIN at all? Credentials are dummies.
    const login = await s.command('LOGIN conformance-probe@invalid not-a-password');
    await s.logout();
    return {
      mechanisms,
      plaintextRefused:
        loginDisabled && !/^\S+\s+OK\b/i.test(login.final) && !/AUTHENTICATIONFAILED/i.test(login.final),
      detail: login.final,
    };
  }
  const s = await SmtpSession.openPlain(o);
  const mechanisms = [...SmtpSession.mechanisms(s.ehlo)];
  const plain = await s.command(
    `AUTH PLAIN ${Buffer.from('\0conformance-probe@invalid\0not-a-password').toString('base64')}`,
  );
  await s.quit();
  // 535 means the credentials were checked, i.e. a plaintext password was taken before TLS.
  return {
    mechanisms,
    plaintextRefused: !plain.final.startsWith('235') && !plain.final.startsWith('535'),
    detail: plain.final,
  };
}

const noAuthBeforeTls: Probe = (ctx) =>
  onBoth(ctx, async (protocol): Promise<Outcome> => {
    const seen = await beforeTls(ctx, protocol);
    if (!seen) return { status: 'not-applicable', message: 'implicit TLS port' };
    return seen.mechanisms.length === 0
      ? pass('no mechanism offered before TLS')
      : fail(`offered before TLS: ${seen.mechanisms.join(' ')}`);
  });

const noPlaintextBeforeTls: Probe = (ctx) =>
  onBoth(ctx, async (protocol): Promise<Outcome> => {
    const seen = await beforeTls(ctx, protocol);
    if (!seen) return { status: 'not-applicable', message: 'implicit TLS port' };
    const offered = seen.mechanisms.filter((m) => m === 'PLAIN' || m === 'LOGIN');
    if (offered.length > 0) return fail(`plaintext mechanisms offered before TLS: ${offered.join(' ')}`);
    if (!seen.plaintextRefused)
      return fail(`a plaintext password was checked before TLS (${seen.detail.slice(0, 120)})`);
    return pass(`plaintext passwords refused before TLS (${seen.detail.slice(0, 120)})`);
  });

export const TLS_PROBES: Readonly<Record<string, Probe>> = {
  'imap.tls12-accepted': accepted('imap'),
  'imap.tls10-refused': refused('imap', 'TLSv1'),
  'imap.tls11-refused': refused('imap', 'TLSv1.1'),
  'smtp.tls12-accepted': accepted('smtp'),
  'smtp.tls10-refused': refused('smtp', 'TLSv1'),
  'smtp.tls11-refused': refused('smtp', 'TLSv1.1'),
  'both.server-certificate': serverCertificate,
  'both.server-hostname': serverHostname,
  'imap.xoauth2-advertised-after-tls': imapAdvertised,
  'smtp.xoauth2-advertised-after-tls': smtpAdvertised,
  'both.no-auth-before-tls': noAuthBeforeTls,
  'both.no-plaintext-login-before-tls': noPlaintextBeforeTls,
};
