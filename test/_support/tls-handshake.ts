import { connect } from 'node:tls';

export type TlsVersion = 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

/**
 * The protocol a loopback handshake pinned to exactly `version` agrees on, or `error CODE`.
 * OpenSSL's security level 0 lets the client itself offer TLS 1.1, so a refusal is the server's.
 */
export function tlsHandshake(port: number, ca: string, version: TlsVersion): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca,
      servername: 'localhost',
      minVersion: version,
      maxVersion: version,
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    socket.once('secureConnect', () => {
      resolve(String(socket.getProtocol()));
      socket.destroy();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
  });
}
