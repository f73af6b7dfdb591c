import { createTransport } from 'nodemailer';
import { MailAddressSchema } from '../config/mss-schema.ts';
import { PasserelleError } from '../errors.ts';
import { checkInputFile } from '../input-file.ts';
import { smtpError, transportError } from './_errors.ts';
import { parseEndpoint, timeoutOf, tlsOptions } from './_tls.ts';
import { readCda } from './cda.ts';
import { checkExtraHeaders, mssHeaders } from './headers.ts';
import type { MssOutgoingMessage, MssSendResult, MssSmtpOptions } from './types.ts';
import { buildXdm, XDM_ATTACHMENT_NAME } from './xdm.ts';
import { parseXoauth2Error, xoauth2InitialResponse } from './xoauth2.ts';

function checkAddress(address: string, role: string): string {
  if (!MailAddressSchema.safeParse(address).success)
    throw new PasserelleError(
      'ERR_MSS_ADDRESS_INVALID',
      `The ${role} ${JSON.stringify(address.slice(0, 120))} is not an e-mail address (local@domain)`,
      {
        details: { role },
      },
    );
  return address;
}

interface CustomAuthContext {
  authMethods: string[];
  sendCommand(cmd: string): Promise<{ status: number; text: string; response: string }>;
}

type Failure = { error?: PasserelleError };

/**
 * SASL XOAUTH2 on SMTP as MSSanté asks (PROTOCOLS.md §9): fail closed unless the server, under
 * TLS, offers AUTH XOAUTH2; then `AUTH XOAUTH2 <initial response>`; a 334 challenge is the
 * RFC 7628 error, answered by an empty line; anything but 235 → ERR_MSS_TOKEN_REJECTED
 * (details.protocol `smtp`, details.responseCode, details.status from the challenge).
 * nodemailer's own OAuth2 would retry with a "new" token on the challenge and lose the status.
 */
function xoauth2Handler(mailbox: string, accessToken: () => Promise<string>, failure: Failure) {
  return async (ctx: CustomAuthContext) => {
    if (!ctx.authMethods.includes('XOAUTH2')) {
      failure.error = new PasserelleError(
        'ERR_MSS_UNSUPPORTED',
        'The SMTP server does not offer AUTH XOAUTH2 under TLS: the token was not sent',
        {
          details: { protocol: 'smtp', authMethods: ctx.authMethods },
        },
      );
      throw new Error('AUTH XOAUTH2 not offered'); // nodemailer rewrites the error it is given
    }
    const payload = xoauth2InitialResponse(mailbox, await accessToken());
    // RFC 4954 §4: the AUTH line stays within SMTP's 512 octets (Dovecot answers "500 5.5.2 Line
    // too long" otherwise); a longer response, a PSC JWT, follows the server's empty 334.
    const inline = `AUTH XOAUTH2 ${payload}`;
    let reply = await ctx.sendCommand(inline.length + 2 <= 512 ? inline : 'AUTH XOAUTH2');
    if (inline.length + 2 > 512 && reply.status === 334 && reply.text.trim() === '')
      reply = await ctx.sendCommand(payload);
    let challenge: string | undefined;
    if (reply.status === 334) {
      challenge = reply.text;
      reply = await ctx.sendCommand('');
    }
    if (reply.status !== 235) {
      const rfc7628 = parseXoauth2Error(challenge);
      const text = reply.response.replace(/[\r\n]+/g, ' ').slice(0, 200);
      failure.error = new PasserelleError(
        'ERR_MSS_TOKEN_REJECTED',
        `The SMTP server refused the access token: ${text}`,
        {
          details: {
            protocol: 'smtp',
            responseCode: reply.status,
            response: text,
            ...(rfc7628?.status ? { status: rfc7628.status } : {}),
          },
        },
      );
      throw new Error('token refused');
    }
  };
}

async function attachmentsOf(message: MssOutgoingMessage) {
  const files = message.attachments ?? [];
  for (const a of files) await checkInputFile(a.path, { what: 'attachment', setting: '--attach' });
  const out: { path?: string; content?: Buffer; filename?: string; contentType?: string }[] = files.map(
    (a) => ({
      path: a.path,
      ...(a.filename ? { filename: a.filename } : {}),
      ...(a.contentType ? { contentType: a.contentType } : {}),
    }),
  );
  const cda = await Promise.all((message.cda ?? []).map((file) => readCda(file)));
  if (cda.length > 0)
    out.push({ content: buildXdm(cda).zip, filename: XDM_ATTACHMENT_NAME, contentType: 'application/zip' });
  return { attachments: out, cda };
}

/**
 * Sends one message through the operator's SMTP submission server (API LPS):
 * - `smtps://` TLS from the first byte, `smtp://` STARTTLS required (requireTLS); TLS 1.2 or
 *   later, certificate and host name verified;
 * - `auth.kind: 'xoauth2'`: XOAUTH2 with the initial response inline (see xoauth2Handler), AUTH
 *   forced even when the server does not advertise it (so a server without it fails closed);
 * - `auth.kind: 'external'` (AUTH_CLI): the TLS client certificate, and no AUTH command — on
 *   SMTP AUTH_CLI is the TLS client certificate itself [inferred: the operators publish no
 *   SASL EXTERNAL for submission];
 * - the sender is the mailbox; headers X-MSS-NIL, and with `cda` the `IHE_XDM.ZIP` attachment,
 *   X-MSS-CODECDA and X-MSS-INS; X-MSS-MES: FIN with `fin`; attachments streamed from disk.
 * Errors: ERR_MSS_ADDRESS_INVALID, ERR_MSS_CDA_INVALID, ERR_FILE_*, ERR_MSS_UNSUPPORTED,
 * ERR_MSS_TOKEN_REJECTED, ERR_MSS_SMTP (details.responseCode), ERR_MSS_TLS, ERR_MSS_CONNECT,
 * ERR_MSS_TIMEOUT. nodemailer's logger is off.
 */
export async function sendMssMessage(
  options: MssSmtpOptions,
  message: MssOutgoingMessage,
): Promise<MssSendResult> {
  const endpoint = parseEndpoint(options.url, 'smtp');
  const from = checkAddress(options.mailbox, 'mailbox');
  if (message.to.length === 0)
    throw new PasserelleError('ERR_MSS_ADDRESS_INVALID', 'A message needs at least one recipient');
  const to = message.to.map((a) => checkAddress(a, 'recipient'));
  const cc = (message.cc ?? []).map((a) => checkAddress(a, 'cc recipient'));
  if (/[\r\n]/.test(message.subject)) throw new PasserelleError('ERR_USAGE', 'The subject must be one line');
  const extra = checkExtraHeaders(message.extraHeaders);
  const { attachments, cda } = await attachmentsOf(message);
  const headers = {
    ...extra,
    ...mssHeaders({
      nil: message.nil,
      cda: cda.map((d) => ({ code: d.code, ins: d.ins })),
      ...(message.fin ? { fin: true } : {}),
    }),
  };
  const timeout = timeoutOf(options);
  const failure: Failure = {};
  const xoauth2 = options.auth.kind === 'xoauth2';
  const transport = createTransport({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.implicitTls,
    requireTLS: !endpoint.implicitTls,
    ignoreTLS: false,
    tls: tlsOptions(options, endpoint.host),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: Math.max(timeout, 60_000),
    logger: false,
    debug: false,
    disableFileAccess: false,
    disableUrlAccess: true,
    ...(options.auth.kind === 'xoauth2'
      ? {
          forceAuth: true,
          // A custom method name: nodemailer replaces a method named XOAUTH2 by the first one the
          // server offers when it holds no OAuth2 generator (PLAIN: the fail-closed check would be skipped).
          auth: { type: 'custom', method: 'MSS-XOAUTH2', user: from },
          customAuth: { 'MSS-XOAUTH2': xoauth2Handler(from, options.auth.accessToken, failure) },
        }
      : {}),
  } as Parameters<typeof createTransport>[0]);
  try {
    const info = await transport.sendMail({
      from,
      to,
      ...(cc.length ? { cc } : {}),
      subject: message.subject,
      text: message.text ?? '',
      headers,
      attachments,
      // nodemailer writes `X-Mss-Nil`; the Référentiel spells them in capitals (field names are
      // case-insensitive, but receivers' filters may not be)
      normalizeHeaderKey: (key: string) => (/^x-mss-/i.test(key) ? key.toUpperCase() : key),
    });
    const list = (v: unknown) =>
      (Array.isArray(v) ? v : []).map((a) =>
        typeof a === 'string' ? a : String((a as { address?: string }).address),
      );
    return {
      messageId: String(info.messageId),
      accepted: list(info.accepted),
      rejected: list(info.rejected),
      response: String(info.response ?? ''),
    };
  } catch (err) {
    if (failure.error) throw failure.error;
    const e = err as { code?: string; responseCode?: number };
    if (xoauth2 && e.code === 'EAUTH' && e.responseCode === 535)
      throw new PasserelleError('ERR_MSS_TOKEN_REJECTED', 'The SMTP server refused the access token', {
        details: { protocol: 'smtp', responseCode: 535 },
      });
    if (e.code === 'EAUTH' && !xoauth2) throw smtpError(err, 'AUTH');
    throw transportError(err, 'smtp', 'send') ?? smtpError(err, e.code === 'EENVELOPE' ? 'RCPT' : 'DATA');
  } finally {
    transport.close();
  }
}
