import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { DOVECOT } from './peers.ts';
import { freePort, waitForPort } from './ports.ts';
import { tempDir } from './tmp.ts';

/** A throw-away Dovecot 2.3 IMAP server on 127.0.0.1 (XOAUTH2 by token introspection). */
export interface Dovecot {
  /** Implicit TLS listener. */
  readonly imapsPort: number;
  /** Plain listener where STARTTLS is required before any login. */
  readonly imapPort: number;
  /** With `submission`: SMTP submission on implicit TLS (like 465) and STARTTLS (like 587), LMTP delivery. */
  readonly submissionsPort?: number;
  readonly submissionPort?: number;
  readonly lmtpPort?: number;
  readonly dir: string;
  /** Dovecot's log so far (auth_verbose). */
  log(): string;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** Server certificate (for 127.0.0.1 / localhost) and key, PEM. */
  readonly cert: string;
  readonly key: string;
  /** The OAuth 2.0 token introspection endpoint (RFC 7662, POST, HTTP Basic client authentication). */
  readonly introspection: { readonly url: string; readonly clientId: string; readonly clientSecret: string };
  /** PEM of the CA of the introspection endpoint's certificate. */
  readonly introspectionCa: string;
  /**
   * With it, SASL EXTERNAL too (AUTH_CLI): client certificates of this CA are asked for (not
   * required), the user is their commonName, and a static passdb accepts them.
   */
  readonly clientCa?: string;
  /**
   * Also Dovecot's SMTP submission service (dovecot-submissiond), relaying every message to
   * this host (an MTA), and LMTP (dovecot-lmtpd) on loopback for that MTA to deliver into the
   * mailboxes.
   */
  readonly submission?: { readonly relayPort: number };
  /** Deliberately lax settings, for the conformance application's negative proofs. */
  readonly lax?: {
    /** ssl_min_protocol = TLSv1 at security level 0. */
    readonly tls10?: boolean;
    /** A CAPABILITY without SASL-IR. */
    readonly noSaslIr?: boolean;
    /** disable_plaintext_auth = no, PLAIN and LOGIN offered. */
    readonly plaintextBeforeTls?: boolean;
  };
}

function ids(name: string): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout), gid: Number(g.stdout) } : undefined;
}

/**
 * Starts Debian's Dovecot (`dovecot -F -c <conf>`) with its own base_dir, state and mail under a
 * temporary folder: XOAUTH2 and OAUTHBEARER by an oauth2 passdb (introspection_mode post,
 * username_attribute email: the token's mailbox must be the `user=`), static userdb, maildir.
 * As root the processes run as Debian's `dovecot`/`dovenull` users and mail as `dovecot`;
 * otherwise all as the current user. Stopped when the test ends.
 */
export async function startDovecot(
  t: { after: (fn: () => unknown) => void },
  options: DovecotOptions,
): Promise<Dovecot> {
  const dir = tempDir(t, 'passerelle-dovecot-');
  chmodSync(dir, 0o755);
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const mailIds = root ? (ids('dovecot') ?? { uid: 65534, gid: 65534 }) : { uid: me.uid, gid: me.gid };
  const internalUser = root ? 'dovecot' : me.username;
  const loginUser = root ? 'dovenull' : me.username;
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub), { mode: 0o755 });
  if (root) chownSync(join(dir, 'home'), mailIds.uid, mailIds.gid);
  writeFileSync(join(dir, 'cert.pem'), options.cert);
  writeFileSync(join(dir, 'key.pem'), options.key, { mode: 0o600 });
  writeFileSync(join(dir, 'introspection-ca.pem'), options.introspectionCa);
  if (options.clientCa) writeFileSync(join(dir, 'client-ca.pem'), options.clientCa);
  const external = options.clientCa
    ? [
        `ssl_ca = <${join(dir, 'client-ca.pem')}`,
        'ssl_verify_client_cert = yes',
        'ssl_require_crl = no',
        'auth_ssl_username_from_cert = yes',
        'ssl_cert_username_field = commonName',
        'passdb {',
        '  driver = static',
        '  args = nopassword=y',
        '  mechanisms = external',
        '}',
      ]
    : [];
  const u = new URL(options.introspection.url);
  u.username = encodeURIComponent(options.introspection.clientId);
  u.password = encodeURIComponent(options.introspection.clientSecret);
  writeFileSync(
    join(dir, 'oauth2.conf'),
    [
      'introspection_mode = post',
      `introspection_url = ${u.href}`,
      `tls_ca_cert_file = ${join(dir, 'introspection-ca.pem')}`,
      'username_attribute = email',
      'active_attribute = active',
      'active_value = true',
      'force_introspection = yes',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const lax = options.lax ?? {};
  const sub = options.submission;
  let logText = '';
  for (let attempt = 0; ; attempt++) {
    const [imapPort, imapsPort] = [await freePort(), await freePort()];
    const ports = { submission: await freePort(), submissions: await freePort(), lmtp: await freePort() };
    const config = join(dir, 'dovecot.conf');
    writeFileSync(
      config,
      [
        `base_dir = ${join(dir, 'run')}`,
        `state_dir = ${join(dir, 'state')}`,
        'log_path = /dev/stderr',
        `protocols = imap${sub ? ' submission lmtp' : ''}`,
        ...(sub
          ? [
              'hostname = mail.sandbox.mssante.fr',
              'submission_relay_host = 127.0.0.1',
              `submission_relay_port = ${sub.relayPort}`,
              'submission_relay_trusted = yes',
              'submission_relay_ssl = no',
              'lmtp_proxy = no',
              'service submission-login {',
              '  inet_listener submission {',
              `    port = ${ports.submission}`,
              '  }',
              '  inet_listener submissions {',
              `    port = ${ports.submissions}`,
              '    ssl = yes',
              '  }',
              '}',
              'service lmtp {',
              '  inet_listener lmtp {',
              '    address = 127.0.0.1',
              `    port = ${ports.lmtp}`,
              '  }',
              '}',
            ]
          : []),
        'listen = 127.0.0.1',
        `default_internal_user = ${internalUser}`,
        `default_login_user = ${loginUser}`,
        'first_valid_uid = 1',
        // `required` refuses any authentication before TLS, whatever disable_plaintext_auth says.
        `ssl = ${lax.plaintextBeforeTls ? 'yes' : 'required'}`,
        `ssl_cert = <${join(dir, 'cert.pem')}`,
        `ssl_key = <${join(dir, 'key.pem')}`,
        lax.tls10 ? 'ssl_min_protocol = TLSv1' : 'ssl_min_protocol = TLSv1.2',
        ...(lax.tls10 ? ['ssl_cipher_list = ALL:@SECLEVEL=0'] : []),
        `disable_plaintext_auth = ${lax.plaintextBeforeTls ? 'no' : 'yes'}`,
        ...(lax.noSaslIr
          ? ['imap_capability = IMAP4rev1 LITERAL+ ENABLE IDLE AUTH=XOAUTH2 AUTH=OAUTHBEARER ID']
          : []),
        ...(lax.plaintextBeforeTls
          ? [
              'passdb {',
              '  driver = static',
              '  args = password=not-used-by-the-tests',
              '  mechanisms = plain login',
              '}',
            ]
          : []),
        `auth_mechanisms = xoauth2 oauthbearer${options.clientCa ? ' external' : ''}${lax.plaintextBeforeTls ? ' plain login' : ''}`,
        'auth_verbose = yes',
        'auth_failure_delay = 0',
        'passdb {',
        '  driver = oauth2',
        '  mechanisms = xoauth2 oauthbearer',
        `  args = ${join(dir, 'oauth2.conf')}`,
        '}',
        ...external,
        'userdb {',
        '  driver = static',
        // allow_all_users: LMTP delivery looks users up, and the oauth2 passdb cannot.
        `  args = uid=${mailIds.uid} gid=${mailIds.gid} home=${join(dir, 'home')}/%u${sub ? ' allow_all_users=yes' : ''}`,
        '}',
        'mail_location = maildir:~/Maildir',
        'namespace inbox {',
        '  inbox = yes',
        '  separator = /',
        '  mailbox Sent {',
        '    special_use = \\Sent',
        '    auto = create',
        '  }',
        '  mailbox Trash {',
        '    special_use = \\Trash',
        '    auto = create',
        '  }',
        '}',
        'service imap-login {',
        '  inet_listener imap {',
        `    port = ${imapPort}`,
        '  }',
        '  inet_listener imaps {',
        `    port = ${imapsPort}`,
        '    ssl = yes',
        '  }',
        '}',
        'service anvil {',
        '  chroot =',
        // No authentication penalty (up to 15 s per failure from one IP): the conformance
        // runner's negative cases fail on purpose, all from 127.0.0.1.
        '  unix_listener anvil-auth-penalty {',
        '    mode = 0',
        '  }',
        '}',
        'service stats {',
        '  inet_listener http {',
        '    port = 0',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const proc = spawn(DOVECOT, ['-F', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => {
      logText += d.toString();
    });
    proc.stderr?.on('data', (d: Buffer) => {
      logText += d.toString();
    });
    try {
      await waitForPort(imapsPort, proc, 'dovecot', () => logText);
      await waitForPort(imapPort, proc, 'dovecot', () => logText);
      if (sub) for (const p of Object.values(ports)) await waitForPort(p, proc, 'dovecot', () => logText);
    } catch (err) {
      proc.kill('SIGKILL');
      if (attempt < 3 && /Address already in use/.test(logText)) continue;
      throw err;
    }
    const stop = async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    };
    t.after(stop);
    const extra = sub
      ? { submissionPort: ports.submission, submissionsPort: ports.submissions, lmtpPort: ports.lmtp }
      : {};
    return { imapPort, imapsPort, ...extra, dir, log: () => logText, stop };
  }
}
