import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import { ensureSshKey } from '../_state-ssh.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { _Account } from './_account.ts';
import { _sftpApi } from './_api.ts';
import { _SubmissionProcessor } from './_processor.ts';
import { _createSftpServer } from './_server.ts';
import { _SftpStats } from './_stats.ts';

/** One partner account of the sandbox SFTP server. */
export interface SftpAccountOptions {
  /** Login name, also the folder `<stateDir>/sftp/<user>/` (lower-case letters, digits, `_`, `-`). */
  readonly user: string;
  /** The sender number every submission of the account must carry (1–12 letters or digits). */
  readonly sender: string;
  /** OpenSSH public key lines allowed to log in; default: the sandbox partner key. */
  readonly authorizedKeys?: readonly string[] | undefined;
}

export interface SftpModuleOptions {
  /** The accounts; default one, `partner`, sender 123456, with the sandbox partner key. */
  readonly accounts?: readonly SftpAccountOptions[] | undefined;
  /** Between a GO and its reply in OUT/, ms; default 500. */
  readonly replyDelayMs?: number | undefined;
  /** Bytes an account's IN/ may hold (files being written included); default 64 MiB. */
  readonly quotaBytes?: number | undefined;
  /** TCP connections at once, all accounts; default 16. */
  readonly maxSessions?: number | undefined;
  /** SSH session channels per connection; default 4. */
  readonly maxChannels?: number;
  /** Open file and folder handles per SFTP session; default 32. */
  readonly maxHandles?: number | undefined;
  /** Requests in progress or replies unread per SFTP session before the client is disconnected; default 64. */
  readonly maxOutstanding?: number;
  /** Longest path a client may send, bytes; default 1024. */
  readonly maxPathLength?: number;
  /** From the TCP connection to a successful login, ms; default 30000. */
  readonly authTimeoutMs?: number;
}

/** The default account: the sandbox partner, sender number 123456 [inferred: any 6 digits do]. */
export const SANDBOX_SFTP_ACCOUNT: SftpAccountOptions = Object.freeze({ user: 'partner', sender: '123456' });

const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/;
const SENDER_RE = /^[0-9A-Za-z]{1,12}$/;

function positive(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new TypeError(`sftpModule: ${name} must be an integer from ${min} to ${max}`);
  return value;
}

function publicKey(line: string, user: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(line);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey())
    throw new TypeError(`sftpModule: account ${user}: an authorized key is not an OpenSSH public key line`);
  return parsed;
}

/**
 * Sandbox module `sftp`: the social-security SFTP batch server (PROTOCOLS.md §8) on role `sftp`
 * (offset 48), endpoint `sftp` = `sftp://host:port`. An ssh2 server with a host key kept in
 * `<stateDir>/ssh/` (its fingerprint pinned in the client configuration), public-key logins only
 * (the partner's ed25519 key, generated into the state directory), and per account a chroot-like
 * root `<stateDir>/sftp/<user>/` holding `IN/` (the partner writes) and `OUT/` (replies: the
 * partner reads and removes). Paths that leave the root, symbolic links, special files, writes
 * outside IN/ and the quota are refused with an SFTP status and logged with a reason code;
 * sessions, channels, handles and outstanding requests are capped.
 *
 * A `GO` in IN/ is checked after `replyDelayMs` (name, sender, FI complete, FS verifying against
 * the partner's signing certificate: required for `R`, optional for `T`); FI/FS/GO then leave
 * IN/ and `OUT/FO.ACRF.<sender>.<date>.<seq>.<env>` holds the XML acknowledgement (ACCEPTED or
 * REJECTED with a reason code; CANCELLED after a `TD`). The console's JSON API lists the accounts
 * and their files under `/api/v1/sftp/accounts`.
 */
export function sftpModule(options: SftpModuleOptions = {}): SandboxModule {
  const replyDelayMs = positive('replyDelayMs', options.replyDelayMs ?? 500, 0, 600_000);
  const quotaBytes = positive(
    'quotaBytes',
    options.quotaBytes ?? 64 * 1024 * 1024,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const maxSessions = positive('maxSessions', options.maxSessions ?? 16, 1, 10_000);
  const maxChannels = positive('maxChannels', options.maxChannels ?? 4, 1, 100);
  const maxHandles = positive('maxHandles', options.maxHandles ?? 32, 1, 10_000);
  const maxOutstanding = positive('maxOutstanding', options.maxOutstanding ?? 64, 1, 10_000);
  const maxPathLength = positive('maxPathLength', options.maxPathLength ?? 1024, 16, 4096);
  const authTimeoutMs = positive('authTimeoutMs', options.authTimeoutMs ?? 30_000, 100, 600_000);
  const accountOptions = options.accounts ?? [SANDBOX_SFTP_ACCOUNT];
  if (accountOptions.length === 0) throw new TypeError('sftpModule: accounts must not be empty');
  const users = new Set<string>();
  for (const a of accountOptions) {
    if (!USER_RE.test(a.user))
      throw new TypeError(`sftpModule: account user "${a.user}" is not a valid login`);
    if (!SENDER_RE.test(a.sender))
      throw new TypeError(`sftpModule: account ${a.user}: sender must be 1 to 12 letters or digits`);
    if (users.has(a.user)) throw new TypeError(`sftpModule: account ${a.user} is given twice`);
    users.add(a.user);
  }
  const configured = accountOptions.map((a) => a.authorizedKeys?.map((k) => publicKey(k, a.user)));
  return {
    name: 'sftp',
    ports: { sftp: 48 },
    async start(ctx): Promise<StartedSandboxModule> {
      const sshDir = join(ctx.stateDir, 'ssh');
      const hostKey = ensureSshKey({
        dir: sshDir,
        name: 'host_ed25519',
        comment: 'passerelle-sandbox-host',
        log: ctx.log,
      });
      const partnerKey = ensureSshKey({
        dir: sshDir,
        name: 'partner_ed25519',
        comment: 'passerelle-sandbox-partner',
        log: ctx.log,
      });
      const partnerPublic = publicKey(partnerKey.publicKey, 'partner');
      const accounts = new Map<string, _Account>();
      for (const [i, a] of accountOptions.entries()) {
        const keys = configured[i] ?? [partnerPublic];
        accounts.set(
          a.user,
          await _Account.open(join(ctx.stateDir, 'sftp'), { user: a.user, sender: a.sender, keys }),
        );
      }
      const stats = new _SftpStats();
      const processor = new _SubmissionProcessor({
        clock: ctx.clock,
        log: ctx.log,
        stats,
        replyDelayMs,
        signer: ctx.pki.partner.signing.certificate,
      });
      const limits = { quotaBytes, maxHandles, maxOutstanding, maxPathLength };
      const server = _createSftpServer({
        hostKey: hostKey.privateKey,
        accounts,
        limits,
        maxSessions,
        maxChannels,
        authTimeoutMs,
        maxAuthFailures: 6,
        stats,
        log: ctx.log,
        clock: ctx.clock,
        onWritten: (account, name) => processor.notify(account, name),
      });
      await new Promise<void>((resolve, reject) => {
        server.tcp.once('error', reject);
        server.tcp.listen(ctx.port('sftp'), ctx.host, () => {
          server.tcp.off('error', reject);
          resolve();
        });
      });
      const port = (server.tcp.address() as AddressInfo).port;
      const url = listenerUrl('sftp', ctx.host, port);
      const hostName = ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host;
      const first = accountOptions[0] ?? SANDBOX_SFTP_ACCOUNT;
      const usesPartnerKey = configured[0] === undefined;
      ctx.log.info({ url, hostKey: hostKey.fingerprint, accounts: [...users] }, 'sftp listening');
      return {
        endpoints: { sftp: url },
        info: {
          hostKeyFingerprint: hostKey.fingerprint,
          knownHostsLine: `[${hostName}]:${port} ${hostKey.publicKey}`,
          partnerKeyFile: partnerKey.privateKeyFile,
          partnerPublicKey: partnerKey.publicKey,
          accounts: accountOptions.map((a) => ({
            user: a.user,
            sender: a.sender,
            root: accounts.get(a.user)?.root,
          })),
          replyDelayMs,
          quotaBytes,
          limits: { maxSessions, maxChannels, maxHandles, maxOutstanding, maxPathLength, authTimeoutMs },
          api: '/api/v1/sftp/accounts (console)',
        },
        clientConfig: {
          sftp: {
            user: first.user,
            ...(usesPartnerKey ? { key: partnerKey.privateKeyFile } : {}),
            hostKeys: [hostKey.fingerprint],
            sender: first.sender,
            app: 'DMFA',
            environmentCode: 'T',
          },
        },
        stats: () => ({ ...stats.snapshot(), 'submissions.waiting': processor.pending }),
        api: _sftpApi(accounts, quotaBytes),
        close: async () => {
          await server.close();
          await processor.close();
        },
      };
    },
  };
}
