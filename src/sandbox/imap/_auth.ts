import { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import type { Session } from './_session.ts';
import { asAtom, type Token } from './_tokens.ts';
import type { MailAuthResult } from './types.ts';

/** What the session may do now: nothing about authentication in clear text. */
export function capabilities(s: Session): string {
  if (!s.secure) return 'IMAP4rev1 STARTTLS LOGINDISABLED';
  const base = 'IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=EXTERNAL LOGINDISABLED';
  const rest = 'LITERAL+ IDLE UIDPLUS MOVE UNSELECT';
  return s.state === 'not-authenticated' ? `${base} ${rest}` : `IMAP4rev1 ${rest}`;
}

export function starttls(s: Session, tag: string): string | undefined {
  if (s.ctx.mode !== 'starttls' || s.secure) return 'BAD STARTTLS not available now';
  s.write(`${tag} OK Begin TLS negotiation now\r\n`);
  const tls = new TLSSocket(s.socket, {
    isServer: true,
    secureContext: s.ctx.secureContext,
    requestCert: true,
    rejectUnauthorized: false,
  });
  s.upgraded(tls);
  return undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decode(text: string): Buffer | undefined {
  if (text === '=') return Buffer.alloc(0);
  if (!BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** The SASL response: the initial response (SASL-IR) or the line after an empty `+ ` continuation. */
async function response(s: Session, initial: Token | undefined): Promise<string | undefined> {
  const ir = asAtom(initial);
  if (ir !== undefined) return ir;
  s.write('+ \r\n');
  const line = await s.reader.nextLine();
  return line === '*' ? undefined : line;
}

export async function authenticate(s: Session, args: Token[]): Promise<string> {
  const mechanism = asAtom(args[0])?.toUpperCase();
  if (!mechanism) return 'BAD AUTHENTICATE needs a mechanism';
  if (!s.secure) {
    s.refuse('auth-before-tls', { mechanism });
    return 'NO [PRIVACYREQUIRED] Authentication requires TLS; use STARTTLS first';
  }
  if (mechanism !== 'XOAUTH2' && mechanism !== 'EXTERNAL') {
    s.refuse('auth-mechanism', { mechanism });
    return 'NO Unsupported authentication mechanism';
  }
  const text = await response(s, args[1]);
  if (text === undefined) return 'BAD Authentication cancelled';
  const decoded = decode(text);
  if (!decoded) {
    s.refuse('auth-malformed', { mechanism, why: 'not base64' });
    return 'BAD Invalid base64 in the SASL response';
  }
  let result: MailAuthResult | string;
  try {
    result = mechanism === 'XOAUTH2' ? await xoauth2(s, decoded) : external(s, decoded);
  } catch (e) {
    // the authenticator could not decide (introspection down...): not the client's fault
    s.refuse('auth-unavailable', { mechanism, error: (e as Error).name });
    return 'NO [UNAVAILABLE] Authentication is unavailable; try again later';
  }
  if (typeof result === 'string') return result;
  if (result.ok) {
    s.authenticated(result.mailbox.toLowerCase());
    s.ctx.stats['authenticated'] = (s.ctx.stats['authenticated'] ?? 0) + 1;
    const saslIr = args[1] !== undefined;
    s.ctx.log.info({ session: s.id, mechanism, saslIr, mailbox: result.mailbox }, 'imap: authenticated');
    return `OK [CAPABILITY ${capabilities(s)}] Authenticated`;
  }
  s.ctx.stats['authFailures'] = (s.ctx.stats['authFailures'] ?? 0) + 1;
  s.refuse('auth-failed', { mechanism, why: result.reason });
  if (mechanism === 'XOAUTH2') {
    // RFC 7628 §3.2.2, as Dovecot does: an error challenge, the client's (empty) answer, then NO
    const body = JSON.stringify({ status: result.status, schemes: 'bearer', scope: 'openid scope_all' });
    s.write(`+ ${Buffer.from(body).toString('base64')}\r\n`);
    const answer = await s.reader.nextLine();
    if (answer === '*') return 'BAD Authentication cancelled';
  }
  return 'NO [AUTHENTICATIONFAILED] Authentication failed';
}

async function xoauth2(s: Session, decoded: Buffer): Promise<MailAuthResult | string> {
  const fields = decoded.toString('utf8').split('\x01');
  const user = fields.find((f) => f.startsWith('user='))?.slice(5);
  const auth = fields.find((f) => f.toLowerCase().startsWith('auth='))?.slice(5);
  const bearer = auth ? /^Bearer +(\S+)$/i.exec(auth)?.[1] : undefined;
  if (!user || !bearer) {
    const why = !user ? 'no user=' : 'no auth=Bearer token';
    s.refuse('auth-malformed', { mechanism: 'XOAUTH2', why });
    return `NO [AUTHENTICATIONFAILED] Malformed XOAUTH2 response: ${why}`;
  }
  return s.ctx.auth.xoauth2(user, bearer);
}

function external(s: Session, decoded: Buffer): MailAuthResult | string {
  const authzid = decoded.toString('utf8');
  if (!authzid) {
    s.refuse('auth-malformed', { mechanism: 'EXTERNAL', why: 'empty authzid' });
    return 'NO [AUTHENTICATIONFAILED] EXTERNAL needs the mailbox as authorization identity';
  }
  const socket = s.socket;
  let certificate: X509Certificate | undefined;
  if (socket instanceof TLSSocket && socket.authorized) {
    const raw = socket.getPeerCertificate(false)?.raw;
    if (raw) certificate = new X509Certificate(raw);
  }
  return s.ctx.auth.external(certificate, authzid);
}
