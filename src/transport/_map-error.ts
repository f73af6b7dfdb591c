import { PasserelleError } from '../errors.ts';

/** Code of the synthetic error raised when a server hangs up right after a TLS 1.3 handshake. */
export const _CLOSED_AFTER_HANDSHAKE = 'PASSERELLE_TLS_CLOSED_AFTER_HANDSHAKE';

/** Errors raised while connecting (TCP + TLS handshake): the request was not sent. */
export const _connectErrors = new WeakSet<object>();

export interface _RequestContext {
  readonly host: string;
  readonly hasClientCertificate: boolean;
}

const UNTRUSTED_SERVER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const SERVER_VALIDITY = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CLIENT_CERT_REQUIRED = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
  'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE',
]);
const CLIENT_CERT_REFUSED = new Set([
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
]);
const CONNECT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_PHASE: Readonly<Record<string, string>> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
};

function _codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The most specific code on the error or its causes (undici wraps socket errors). */
function _codes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = _codeOf(current);
    if (code !== undefined) codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function _isConnectPhase(error: unknown): boolean {
  for (let c: unknown = error, d = 0; d < 5 && typeof c === 'object' && c !== null; d++) {
    if (_connectErrors.has(c)) return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Maps an undici / TLS / socket error to a typed transport error. Abort errors and our own
 * errors pass through unchanged. Messages name the host only, never headers or bodies.
 */
export function _mapError(error: unknown, ctx: _RequestContext): unknown {
  if (error instanceof PasserelleError) return error;
  if (error instanceof Error && (error.name === 'AbortError' || _codeOf(error) === 'UND_ERR_ABORTED'))
    return error;
  const codes = _codes(error);
  const connectPhase = _isConnectPhase(error);
  const base = { host: ctx.host, phase: connectPhase ? 'connect' : 'request', requestSent: !connectPhase };
  const find = (set: ReadonlySet<string>) => codes.find((c) => set.has(c));

  const timeout = codes.find((c) => TIMEOUT_PHASE[c] !== undefined);
  if (timeout !== undefined) {
    const phase = TIMEOUT_PHASE[timeout]!;
    return new PasserelleError('ERR_TRANSPORT_TIMEOUT', `Timed out (${phase}) talking to ${ctx.host}`, {
      cause: error,
      details: { ...base, phase, requestSent: phase !== 'connect', errno: timeout },
    });
  }
  if (codes.includes('UND_ERR_RES_EXCEEDED_MAX_SIZE')) {
    return new PasserelleError(
      'ERR_TRANSPORT_BODY_TOO_LARGE',
      `The response from ${ctx.host} exceeds the size limit`,
      {
        cause: error,
        details: { host: ctx.host },
      },
    );
  }
  const tls = (hint: string, errno: string, message = `TLS connection to ${ctx.host} failed`) =>
    new PasserelleError('ERR_TRANSPORT_TLS', message, { hint, cause: error, details: { ...base, errno } });

  let code = find(UNTRUSTED_SERVER);
  if (code !== undefined) {
    return tls(
      "The server's certificate is not issued by a CA in your trust bundle: point the CA bundle at the platform's published chain.",
      code,
      `The certificate of ${ctx.host} is not trusted`,
    );
  }
  code = find(SERVER_VALIDITY);
  if (code !== undefined)
    return tls("The server's certificate is expired or not yet valid; check this machine's clock.", code);
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return tls(
      `The server's certificate is not issued for ${ctx.host}: check the endpoint host name.`,
      'ERR_TLS_CERT_ALTNAME_INVALID',
      `The certificate of ${ctx.host} does not match its name`,
    );
  }
  if (codes.includes(_CLOSED_AFTER_HANDSHAKE)) {
    return tls(
      ctx.hasClientCertificate
        ? 'The server hung up right after the TLS handshake: it most likely refused your client certificate (not issued by a CA it trusts, or not registered).'
        : 'The server hung up right after the TLS handshake: it most likely asked for a client certificate; configure one.',
      _CLOSED_AFTER_HANDSHAKE,
    );
  }
  code = find(CLIENT_CERT_REQUIRED);
  if (code !== undefined) {
    return tls(
      ctx.hasClientCertificate
        ? 'The server refused the TLS handshake: check that your client certificate is the one registered for this environment.'
        : 'The server asked for a client certificate: configure the TLS client certificate for this environment.',
      code,
    );
  }
  code = find(CLIENT_CERT_REFUSED);
  if (code !== undefined) {
    return tls(
      'The server rejected your client certificate: it must be issued by a CA the platform trusts and registered with it.',
      code,
    );
  }
  code = codes.find((c) =>
    /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION_NUMBER/.test(c),
  );
  if (code !== undefined) {
    return tls('The server does not speak TLS 1.2 or later (or is not a TLS server on that port).', code);
  }
  code = codes.find((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'));
  if (code !== undefined) return tls('The TLS handshake failed; see the error code.', code);
  code = find(CONNECT);
  if (code !== undefined) {
    return new PasserelleError('ERR_TRANSPORT_CONNECT', `Connection to ${ctx.host} failed (${code})`, {
      hint: 'Check the host, port, firewall opening and network route to the platform.',
      cause: error,
      details: { ...base, errno: code },
    });
  }
  return new PasserelleError('ERR_TRANSPORT_CONNECT', `Request to ${ctx.host} failed`, {
    cause: error,
    details: { ...base, errno: codes[0] ?? 'unknown' },
  });
}
