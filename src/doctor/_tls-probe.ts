import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { Credential } from '../pki/credential.ts';

/** The certificates the server sent: its leaf and what came with it. */
export interface _PeerChain {
  readonly leaf: X509Certificate;
  readonly intermediates: readonly X509Certificate[];
}

export type _Handshake =
  | { readonly ok: true; readonly socket: TLSSocket; readonly peer: _PeerChain; readonly protocol: string }
  | {
      readonly ok: false;
      /** timeout: no answer; dropped: reset or closed; alert: a TLS alert; other: anything else. */
      readonly failure: 'timeout' | 'dropped' | 'alert' | 'other';
      /** The alert name (bad_certificate, unknown_ca, ...) when there was one. */
      readonly alert?: string;
      readonly errorCode: string;
      /** The server chain, when it arrived before the failure. */
      readonly peer?: _PeerChain;
    };

/** The TLS alert named by an OpenSSL error code (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE). */
export const _alertOf = (code: string | undefined): string | undefined =>
  /_ALERT_([A-Z_]+)$/.exec(code ?? '')?.[1]?.toLowerCase();

function peerChain(socket: TLSSocket): _PeerChain | undefined {
  let detailed: DetailedPeerCertificate | undefined;
  try {
    detailed = socket.getPeerCertificate(true);
  } catch {
    return undefined;
  }
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = detailed;
  while (current?.raw !== undefined && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  const [leaf, ...intermediates] = chain;
  return leaf === undefined ? undefined : { leaf, intermediates };
}

/**
 * A TLS handshake to `address`:`port` presenting `credential` as client certificate, with no
 * verification of the server by Node (the caller verifies the chain it returns against the
 * configured CA bundle and its clock). On success the socket stays open for the next probe.
 */
export function _handshake(
  host: string,
  address: string,
  port: number,
  credential: Credential,
  timeoutMs: number,
): Promise<_Handshake> {
  return new Promise((resolve) => {
    const socket = connect({
      host: address,
      port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      cert: credential.certPem,
      key: credential.keyPem,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['http/1.1'],
    });
    let settled = false;
    const done = (result: _Handshake) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, failure: 'timeout', errorCode: 'ETIMEDOUT' }),
      timeoutMs,
    );
    socket.once('secureConnect', () => {
      const peer = peerChain(socket);
      if (peer === undefined) done({ ok: false, failure: 'other', errorCode: 'NO_PEER_CERTIFICATE' });
      else done({ ok: true, socket, peer, protocol: socket.getProtocol() ?? 'TLS' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const alert = _alertOf(error.code);
      const peer = peerChain(socket);
      const failure =
        alert !== undefined
          ? 'alert'
          : error.code === 'ECONNRESET' ||
              error.code === 'EPIPE' ||
              /socket disconnected/i.test(error.message)
            ? 'dropped'
            : 'other';
      done({
        ok: false,
        failure,
        errorCode: error.code ?? 'error',
        ...(alert === undefined ? {} : { alert }),
        ...(peer === undefined ? {} : { peer }),
      });
    });
    socket.once('close', () => done({ ok: false, failure: 'dropped', errorCode: 'ECONNRESET' }));
  });
}

export type _ClientProbe =
  | { readonly accepted: true; readonly statusLine: string }
  | {
      readonly accepted: false;
      readonly reason: 'alert' | 'closed' | 'timeout';
      readonly alert?: string;
      readonly errorCode?: string;
    };

/**
 * Whether the server kept the connection after the client certificate: one `HEAD /` request on
 * the open socket. Any HTTP answer means the certificate was accepted; an alert, a reset or a
 * close without an answer means it was refused (TLS 1.3 servers refuse after the handshake).
 */
export function _probeClient(socket: TLSSocket, host: string, timeoutMs: number): Promise<_ClientProbe> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: _ClientProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ accepted: false, reason: 'timeout' }), timeoutMs);
    socket.once('data', (chunk: Buffer) =>
      done({ accepted: true, statusLine: chunk.toString('latin1').split('\r\n')[0]?.slice(0, 80) ?? '' }),
    );
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const alert = _alertOf(error.code);
      done({
        accepted: false,
        reason: alert === undefined ? 'closed' : 'alert',
        errorCode: error.code ?? 'error',
        ...(alert === undefined ? {} : { alert }),
      });
    });
    socket.once('end', () => done({ accepted: false, reason: 'closed' }));
    socket.once('close', () => done({ accepted: false, reason: 'closed' }));
    // The server may have closed it already, while the other handshakes ran.
    if (socket.destroyed || socket.readableEnded) done({ accepted: false, reason: 'closed' });
    else socket.write(`HEAD / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}
