import { isPasserelleError, PasserelleError } from '../errors.ts';

/**
 * Maps what imapflow, nodemailer and Node's sockets throw to the MSS codes. Messages and
 * details carry the server's reply text and codes, never a token: the original error is kept
 * as cause only as a scrubbed copy (name, message, code), since library errors may hold the
 * command they failed on.
 */

type Protocol = 'imap' | 'smtp';

/** Certificate, host name and protocol-version failures of a TLS handshake (ours or a library's). */
export const TLS_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'STARTTLS_INJECTION',
  'ETLS',
]);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'ECONNECTION',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ETIMEOUT',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ESOCKETTIMEDOUT',
]);

interface LibraryError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  reason?: unknown;
  responseCode?: unknown;
  responseStatus?: unknown;
  responseText?: unknown;
  response?: unknown;
  serverResponseCode?: unknown;
  tlsFailed?: unknown;
  authenticationFailed?: unknown;
}

const TOKEN_LIKE = /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}|[A-Za-z0-9+/]{60,}={0,2}/g;

/** Text safe to show: one line, bounded, with anything token-like (a JWT, long base64) cut out. */
export function safeText(value: unknown): string {
  return String(value ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(TOKEN_LIKE, '[redacted]')
    .slice(0, 300);
}

function scrubbed(err: LibraryError): Error {
  const copy = new Error(safeText(err.message));
  copy.name = 'UpstreamError';
  if (typeof err.code === 'string') (copy as Error & { code: string }).code = err.code;
  return copy;
}

/** The chain of library errors (imapflow and nodemailer wrap the socket's). */
function chain(err: unknown): LibraryError[] {
  const out: LibraryError[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    out.push(e as LibraryError);
    e = (e as LibraryError).cause ?? (e as LibraryError).reason;
  }
  return out;
}

function isTls(e: LibraryError): boolean {
  const code = typeof e.code === 'string' ? e.code : '';
  return (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    e.tlsFailed === true ||
    (e.responseStatus === undefined &&
      typeof e.responseCode !== 'number' &&
      /certificate|ssl|tls alert|wrong version number|handshake/i.test(String(e.message ?? '')))
  );
}

/**
 * The transport part of the mapping: TLS, connect, timeout; undefined when `err` is none of
 * them (then the caller maps protocol replies).
 */
export function transportError(err: unknown, protocol: Protocol, where: string): PasserelleError | undefined {
  if (isPasserelleError(err)) return err;
  const errs = chain(err);
  const details = (reason: string) => ({ protocol, reason: safeText(reason).slice(0, 100) });
  for (const e of errs)
    if (isTls(e))
      return new PasserelleError(
        'ERR_MSS_TLS',
        `TLS with the ${protocol.toUpperCase()} server failed (${where}): ${safeText(e.message)}`,
        {
          details: details(String(e.code ?? 'tls')),
          cause: scrubbed(e),
        },
      );
  for (const e of errs) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (TIMEOUT_CODES.has(code) || /timed? ?out/i.test(String(e.message ?? '')))
      return new PasserelleError(
        'ERR_MSS_TIMEOUT',
        `No answer from the ${protocol.toUpperCase()} server in time (${where})`,
        {
          details: details(code || 'timeout'),
          cause: scrubbed(e),
        },
      );
  }
  for (const e of errs) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (CONNECT_CODES.has(code) || code === 'ESOCKET')
      return new PasserelleError(
        'ERR_MSS_CONNECT',
        `The ${protocol.toUpperCase()} connection failed (${where}): ${safeText(e.message)}`,
        {
          details: details(code),
          cause: scrubbed(e),
        },
      );
  }
  return undefined;
}

/** Maps an IMAP failure of `command` (NO/BAD → ERR_MSS_IMAP, else transport codes). */
export function imapError(err: unknown, command: string): PasserelleError {
  const t = transportError(err, 'imap', command);
  if (t) return t;
  const e = (err ?? {}) as LibraryError;
  const status = typeof e.responseStatus === 'string' ? e.responseStatus : undefined;
  const text = safeText(e.responseText ?? e.response ?? e.message);
  return new PasserelleError(
    'ERR_MSS_IMAP',
    `IMAP ${command} failed${status ? ` (${status})` : ''}: ${text}`,
    {
      details: {
        protocol: 'imap',
        command,
        response: text,
        ...(typeof e.serverResponseCode === 'string' ? { responseCode: e.serverResponseCode } : {}),
      },
      cause: scrubbed(e),
    },
  );
}

/** Maps an SMTP failure (a reply → ERR_MSS_SMTP with the code, else transport codes). */
export function smtpError(err: unknown, stage: string): PasserelleError {
  const t = transportError(err, 'smtp', stage);
  if (t) return t;
  const e = (err ?? {}) as LibraryError;
  const text = safeText(e.response ?? e.message);
  return new PasserelleError('ERR_MSS_SMTP', `SMTP ${stage} refused: ${text}`, {
    details: {
      protocol: 'smtp',
      stage,
      response: text,
      ...(typeof e.responseCode === 'number' ? { responseCode: e.responseCode } : {}),
    },
    cause: scrubbed(e),
  });
}
