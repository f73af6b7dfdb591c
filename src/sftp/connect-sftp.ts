import ssh2, { type ConnectConfig } from 'ssh2';
import { PasserelleError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import { _connectError } from './_errors.ts';
import { _parseLoginKey, _readKeyFile } from './_private-key.ts';
import { _SftpConnection } from './_session.ts';
import { _widenWindow } from './_window.ts';
import { parseHostKeyPins, sshFingerprint } from './host-key.ts';
import type { SftpSession } from './session.ts';

export interface ConnectSftpOptions {
  readonly host: string;
  /** Default 22. */
  readonly port?: number;
  readonly username: string;
  /** The private key (OpenSSH or PEM, ed25519/RSA/ECDSA): its bytes, or `{ file }` to read it (mode checked). */
  readonly privateKey: Buffer | string | { readonly file: string };
  /** Passphrase of an encrypted key (from a SecretRef: never from argv). */
  readonly passphrase?: string;
  /** Pinned host keys: `SHA256:` fingerprints or known_hosts lines (see parseHostKeyPins). */
  readonly hostKeys: readonly string[];
  /** Seconds between keep-alives, 0 for none; default 15 (three missed ones end the connection). */
  readonly keepaliveSeconds?: number;
  /** Seconds for the handshake and for each request; default 30. */
  readonly timeoutSeconds?: number;
  /** Bytes per READ/WRITE request of a transfer; default 128 KiB (32 KiB–256 KiB). */
  readonly chunkSize?: number;
  /** Requests in flight during a transfer; default 32 (memory: about 32 x 128 KiB of data). */
  readonly requestsInFlight?: number;
  readonly logger?: Logger;
}

/**
 * Modern algorithms only: ssh2's defaults (no CBC cipher, no SHA-1 key exchange among them)
 * minus the SHA-1 MACs and the SHA-1 `ssh-rsa` host key signature (RSA host keys still work
 * through rsa-sha2-256/512).
 */
const ALGORITHMS: ConnectConfig['algorithms'] = {
  serverHostKey: { append: [], prepend: [], remove: ['ssh-rsa'] },
  hmac: { append: [], prepend: [], remove: ['hmac-sha1', 'hmac-sha1-etm@openssh.com'] },
};

/**
 * Opens an SFTP session with key-based login and a pinned host key. The host key is checked
 * before any authentication: no pin for this server → ERR_SFTP_HOST_KEY_UNKNOWN
 * (details.fingerprint: what it presented, to check out of band), another key →
 * ERR_SFTP_HOST_KEY_CHANGED (details.fingerprint, details.pinned); never a silent accept.
 * Other failures: ERR_SFTP_HOST_KEY_INVALID (a pin), ERR_SFTP_KEY_UNREADABLE, ERR_SFTP_AUTH_FAILED,
 * ERR_SFTP_CONNECT, ERR_SFTP_TIMEOUT. A key file readable by group or others is warned about.
 */
export async function connectSftp(options: ConnectSftpOptions): Promise<SftpSession> {
  const { host, port = 22, username, passphrase, hostKeys, logger = silentLogger } = options;
  const {
    keepaliveSeconds = 15,
    timeoutSeconds = 30,
    chunkSize = 128 * 1024,
    requestsInFlight = 32,
  } = options;
  if (!host || !username) throw new TypeError('connectSftp: host and username are required');
  if (chunkSize < 1024 || chunkSize > 256 * 1024)
    throw new TypeError('connectSftp: chunkSize out of 1 KiB–256 KiB');
  if (requestsInFlight < 1 || requestsInFlight > 256)
    throw new TypeError('connectSftp: requestsInFlight out of 1–256');
  const pins = parseHostKeyPins(hostKeys, { host, port });
  const source =
    typeof options.privateKey === 'object' && 'file' in options.privateKey
      ? options.privateKey.file
      : 'given';
  const data =
    typeof options.privateKey === 'string'
      ? Buffer.from(options.privateKey)
      : Buffer.isBuffer(options.privateKey)
        ? options.privateKey
        : await _readKeyFile(options.privateKey.file, logger);
  const key = _parseLoginKey(data, passphrase, source);

  let presented: string | undefined;
  let refusal: PasserelleError | undefined;
  const client = new ssh2.Client();
  const timeoutMs = timeoutSeconds * 1000;
  const sftp = await new Promise<import('ssh2').SFTPWrapper>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(refusal ?? _connectError(err, host, port));
    };
    client.once('error', fail);
    client.once('close', () => fail(new Error('connection closed before the session was ready')));
    client.once('ready', () => {
      client.sftp((err, channel) => {
        if (err) return fail(err);
        settled = true;
        client.removeListener('error', fail);
        resolve(channel);
      });
    });
    client.connect({
      host,
      port,
      username,
      privateKey: key.data,
      ...(key.passphrase === undefined ? {} : { passphrase: key.passphrase }),
      readyTimeout: timeoutMs,
      keepaliveInterval: keepaliveSeconds * 1000,
      keepaliveCountMax: 3,
      algorithms: ALGORITHMS,
      hostVerifier: (blob: Buffer) => {
        presented = sshFingerprint(blob);
        if (pins.fingerprints.length === 0) {
          refusal = new PasserelleError(
            'ERR_SFTP_HOST_KEY_UNKNOWN',
            `No host key is pinned for ${host}:${port}; it presented ${presented}`,
            {
              details: { host, port, fingerprint: presented },
            },
          );
        } else if (!pins.matches(blob)) {
          refusal = new PasserelleError(
            'ERR_SFTP_HOST_KEY_CHANGED',
            `The host key of ${host}:${port} is not the pinned one: it presented ${presented}`,
            {
              details: { host, port, fingerprint: presented, pinned: pins.fingerprints },
            },
          );
        }
        if (refusal)
          logger.warn({ host, port, fingerprint: presented, code: refusal.code }, 'SFTP host key refused');
        return refusal === undefined;
      },
    });
  });
  _widenWindow(sftp, Math.min(64 * 1024 * 1024, 2 * requestsInFlight * chunkSize));
  // Errors after the session is ready are the session's (it marks itself lost); keep one listener.
  client.on('error', () => {});
  logger.info({ host, port, username, hostKey: presented, keyType: key.type }, 'SFTP session open');
  return new _SftpConnection({
    client,
    sftp,
    timeoutMs,
    chunkSize,
    inFlight: requestsInFlight,
    hostKeyFingerprint: presented ?? '',
    where: `${host}:${port}`,
    logger,
  });
}
