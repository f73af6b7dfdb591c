import type { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type TLSSocket } from 'node:tls';
import type { ResolvedEnvironment } from '../config/environment.ts';
import { isPasserelleError } from '../errors.ts';
import { verifyChain } from '../pki/chain.ts';
import type { Credential } from '../pki/credential.ts';
import { issuerDn, subjectDn } from '../pki/dn.ts';
import { _Finding, type _Outcome } from './_check.ts';
import { _formAdvice, _hostPort, _rowOf, type _Target } from './_targets.ts';
import { _alertOf, _handshake, _probeClient } from './_tls-probe.ts';
import type { DoctorFirewallRow } from './types.ts';

/** Alerts a server sends about the client certificate it was given (or did not get). */
const CLIENT_CERT_ALERTS = new Set([
  'bad_certificate',
  'unsupported_certificate',
  'certificate_revoked',
  'certificate_expired',
  'certificate_unknown',
  'unknown_ca',
  'access_denied',
  'certificate_required',
  'handshake_failure',
]);

export interface _TlsContext {
  readonly env: ResolvedEnvironment;
  readonly credential: Credential;
  /** trust.ca, or the system roots when none is configured. */
  readonly ca: readonly X509Certificate[];
  readonly caSetting: string;
  readonly now: number;
  readonly rows: readonly DoctorFirewallRow[];
  readonly timeoutMs: number;
}

/** What the TLS check leaves for the client-certificate check of the same host:port. */
export type _Session = { socket: TLSSocket } | { refusedAlert: string };

function verifyServer(
  ctx: _TlsContext,
  target: _Target,
  leaf: X509Certificate,
  intermediates: readonly X509Certificate[],
) {
  const where = _hostPort(target.host, target.port);
  try {
    verifyChain(leaf, { anchors: ctx.ca, intermediates, at: ctx.now });
  } catch (error) {
    if (
      isPasserelleError(error, 'ERR_PKI_CERT_EXPIRED') ||
      isPasserelleError(error, 'ERR_PKI_CERT_NOT_YET_VALID')
    ) {
      throw new _Finding(
        'ERR_DOCTOR_SERVER_CERT_EXPIRED',
        `The server certificate of ${where} is outside its validity period: ${error.message}`,
        3,
        `Check this machine's clock; if it is right, the platform must renew the certificate of ${where} (tell its service desk), or ${ctx.caSetting} must list the renewed chain.`,
      );
    }
    if (isPasserelleError(error, 'ERR_PKI_UNTRUSTED')) {
      throw new _Finding(
        'ERR_DOCTOR_SERVER_CERT_UNTRUSTED',
        `The server certificate of ${where} ("${subjectDn(leaf)}", issued by "${issuerDn(leaf)}") does not chain to ${ctx.caSetting}`,
        3,
        `Point ${ctx.caSetting} at the platform's published CA bundle (GEANT OV RSA CA 4 ← USERTrust RSA Certification Authority); if the issuer is a proxy of your own network, the flow to ${where} is inspected: have it opened directly (onboarding step 2).`,
      );
    }
    throw error;
  }
  const mismatch = checkServerIdentity(target.host, {
    subject: { CN: '' },
    subjectaltname: leaf.subjectAltName ?? '',
  } as Parameters<typeof checkServerIdentity>[1]);
  if (mismatch !== undefined) {
    throw new _Finding(
      'ERR_DOCTOR_SERVER_NAME_MISMATCH',
      `The server certificate of ${where} does not name ${target.host} (${leaf.subjectAltName ?? 'no subjectAltName'})`,
      1,
      `Use the host name the platform publishes in environments.${ctx.env.name}.endpoints["${target.endpoints[0] ?? ''}"], not an IP address or alias.`,
    );
  }
}

/** TLS check of one host:port: handshake, server chain against the CA bundle at `now`, its name. */
export async function _tlsOutcome(
  ctx: _TlsContext,
  target: _Target,
  addresses: readonly string[],
  sessions: Map<string, _Session>,
): Promise<_Outcome> {
  const address = addresses[0] ?? target.host;
  const destination = _hostPort(address, target.port);
  const advice = _formAdvice(_rowOf(ctx.rows, target.host, addresses, target.port), destination);
  const result = await _handshake(target.host, address, target.port, ctx.credential, ctx.timeoutMs);
  const key = _hostPort(target.host, target.port);
  if (result.ok) {
    sessions.set(key, { socket: result.socket });
    verifyServer(ctx, target, result.peer.leaf, result.peer.intermediates);
    return { detail: `${result.protocol}, server "${subjectDn(result.peer.leaf)}" trusted` };
  }
  if (
    result.failure === 'alert' &&
    result.alert !== undefined &&
    CLIENT_CERT_ALERTS.has(result.alert) &&
    result.peer
  ) {
    // TLS 1.2: the server refused the client certificate inside the handshake; its own chain came first.
    verifyServer(ctx, target, result.peer.leaf, result.peer.intermediates);
    sessions.set(key, { refusedAlert: result.alert });
    return { detail: `server "${subjectDn(result.peer.leaf)}" trusted` };
  }
  if (result.failure === 'timeout') {
    throw new _Finding(
      'ERR_DOCTOR_TLS_TIMEOUT',
      `${destination} accepts TCP but does not answer the TLS handshake within ${ctx.timeoutMs} ms`,
      2,
      `Something between you and ${destination} holds the flow (proxy, TLS inspection, half-open firewall rule): have it opened end to end to the platform; ${advice}.`,
    );
  }
  if (result.failure === 'dropped') {
    throw new _Finding(
      'ERR_DOCTOR_TLS_DROPPED',
      `${destination} dropped the connection during the TLS handshake (${result.errorCode})`,
      2,
      `A firewall or proxy drops the TLS flow to ${destination}, or the port does not serve TLS: check the endpoint, then have the flow opened end to end; ${advice}.`,
    );
  }
  throw new _Finding(
    'ERR_DOCTOR_TLS_FAILED',
    `The TLS handshake with ${destination} failed (${result.alert ?? result.errorCode})`,
    1,
    `Check that ${destination} is the platform's TLS endpoint (TLS 1.2 or later) in environments.${ctx.env.name}.endpoints.`,
  );
}

/** Client-certificate check of one host:port: the server keeps the connection and answers HTTP. */
export async function _clientCertOutcome(
  ctx: _TlsContext,
  target: _Target,
  session: _Session | undefined,
): Promise<_Outcome> {
  const where = _hostPort(target.host, target.port);
  const refused = (how: string) =>
    new _Finding(
      'ERR_DOCTOR_CLIENT_CERT_REFUSED',
      `${where} refused the client certificate "${subjectDn(ctx.credential.certificate)}" (${how})`,
      3,
      `Send the .crt of environments.${ctx.env.name}.credentials.tls to the platform for ${ctx.env.name} (onboarding step 3) and wait for its registration; if the certificate was renewed or revoked, send the current one.`,
    );
  if (session === undefined) throw new Error('no TLS session to probe');
  if ('refusedAlert' in session) throw refused(`alert ${session.refusedAlert} during the handshake`);
  const probe = await _probeClient(session.socket, target.host, ctx.timeoutMs);
  if (probe.accepted) return { detail: `accepted (${probe.statusLine})` };
  if (probe.reason === 'timeout') {
    throw new _Finding(
      'ERR_DOCTOR_TLS_TIMEOUT',
      `${where} does not answer after the TLS handshake within ${ctx.timeoutMs} ms`,
      5,
      `Check that ${where} is the platform's HTTPS endpoint; retry later if the platform is slow.`,
    );
  }
  throw refused(
    probe.reason === 'alert'
      ? `alert ${probe.alert ?? _alertOf(probe.errorCode) ?? 'unknown'}`
      : 'connection closed right after the handshake',
  );
}
