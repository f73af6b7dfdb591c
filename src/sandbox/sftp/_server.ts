import { createServer, type Socket } from 'node:net';
import ssh2, { type Connection } from 'ssh2';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { _Account } from './_account.ts';
import { _authenticate } from './_auth.ts';
import { type _SftpLimits, _serveSftp } from './_session.ts';
import type { _SftpStats } from './_stats.ts';

export interface _ServerOptions {
  /** The host private key (OpenSSH text). */
  readonly hostKey: string;
  readonly accounts: ReadonlyMap<string, _Account>;
  readonly limits: _SftpLimits;
  /** TCP connections at once; one more is closed at once and logged (`sessions`). */
  readonly maxSessions: number;
  /** SSH session channels per connection (`channels` beyond). */
  readonly maxChannels: number;
  /** From the TCP connection to a successful login, ms; then the connection is closed. */
  readonly authTimeoutMs: number;
  /** Failed logins per connection before it is closed. */
  readonly maxAuthFailures: number;
  readonly stats: _SftpStats;
  readonly log: Logger;
  readonly clock: Clock;
  readonly onWritten: (account: _Account, name: string) => void;
}

/** The TCP listener of the sandbox SFTP server and how to stop it. */
export interface _SftpServer {
  readonly tcp: ReturnType<typeof createServer>;
  close(): Promise<void>;
}

/**
 * The SSH server: a plain TCP listener counts connections (the cap is enforced before any SSH
 * byte) and hands each socket to an ssh2 Server (`injectSocket`); the SSH side accepts public-key
 * logins only, session channels with the `sftp` subsystem only (ssh2 refuses exec, shell and
 * forwarding for want of handlers), and serves each SFTP channel with _serveSftp.
 */
export function _createSftpServer(o: _ServerOptions): _SftpServer {
  const { stats, log } = o;
  const sockets = new Set<Socket>();
  const loginTimers = new Map<string, NodeJS.Timeout>();
  const refuse = (reason: string, fields: Record<string, unknown> = {}) => {
    stats.bump('refusals');
    stats.bump(`refusals.${reason}`);
    log.warn({ reason, ...fields }, 'SFTP connection refused');
  };

  const ssh = new ssh2.Server(
    { hostKeys: [o.hostKey], ident: 'Passerelle_Sandbox' },
    (client: Connection, info) => {
      const peer = `${info.ip}:${info.port}`;
      let account: _Account | undefined;
      let failures = 0;
      let channels = 0;
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => {
        const before = stats.get('auth.refused');
        _authenticate(ctx, o.accounts, log, stats, (a) => {
          account = a;
        });
        if (stats.get('auth.refused') > before && ++failures >= o.maxAuthFailures) client.end();
      });
      client.on('ready', () => {
        clearTimeout(loginTimers.get(peer));
        loginTimers.delete(peer);
        const user = account;
        if (user === undefined) {
          client.end();
          return;
        }
        client.on('session', (accept, reject) => {
          if (++channels > o.maxChannels) {
            refuse('channels', { account: user.user });
            return reject();
          }
          const session = accept();
          session.on('sftp', (acceptSftp) => {
            const sftp = acceptSftp();
            _serveSftp(sftp, {
              account: user,
              limits: o.limits,
              stats,
              log,
              clock: o.clock,
              onWritten: o.onWritten,
              disconnect: () => client.end(),
            });
            sftp.on('close', () => {
              channels -= 1;
            });
          });
        });
      });
    },
  );
  ssh.on('error', (error: Error) => log.warn({ error: error.message }, 'SSH server error'));

  const tcp = createServer((socket) => {
    socket.on('error', () => undefined);
    if (sockets.size >= o.maxSessions) {
      refuse('sessions', { peer: socket.remoteAddress, open: sockets.size });
      socket.destroy();
      return;
    }
    sockets.add(socket);
    stats.bump('sessions');
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    loginTimers.set(
      peer,
      setTimeout(() => {
        refuse('login-timeout', { peer });
        socket.destroy();
      }, o.authTimeoutMs),
    );
    socket.once('close', () => {
      sockets.delete(socket);
      clearTimeout(loginTimers.get(peer));
      loginTimers.delete(peer);
    });
    ssh.injectSocket(socket);
  });

  return {
    tcp,
    close: () =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        for (const t of loginTimers.values()) clearTimeout(t);
      }),
  };
}
