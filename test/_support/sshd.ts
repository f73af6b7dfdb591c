import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { OPENSSH_SSHD } from './peers.ts';
import { freePort, waitForPort } from './ports.ts';
import { tempDir } from './tmp.ts';

/** A key pair made by OpenSSH's ssh-keygen (the independent peer), with its public line. */
export interface SshKey {
  readonly path: string;
  readonly publicLine: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

/** Makes a key with ssh-keygen: `type` ed25519 or rsa, optional passphrase, `pem` for the old PEM format. */
export function sshKeygen(
  dir: string,
  name: string,
  {
    type = 'ed25519',
    passphrase = '',
    pem = false,
  }: { type?: 'ed25519' | 'rsa'; passphrase?: string; pem?: boolean } = {},
): SshKey {
  const path = join(dir, name);
  const args = [
    '-q',
    '-t',
    type,
    '-N',
    passphrase,
    '-C',
    name,
    '-f',
    path,
    ...(type === 'rsa' ? ['-b', '3072'] : []),
  ];
  const r = spawnSync('ssh-keygen', [...args, ...(pem ? ['-m', 'PEM'] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  chmodSync(path, 0o600);
  const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' });
  return {
    path,
    publicLine: readFileSync(`${path}.pub`, 'utf8').trim(),
    fingerprint: fp.stdout.split(' ')[1] ?? '',
  };
}

/** A throw-away OpenSSH sshd on 127.0.0.1 serving SFTP from `root`. */
export interface Sshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  /** The folder SFTP sessions start in (relative paths resolve here). */
  readonly root: string;
  readonly hostKey: SshKey;
  /** Where the client test keys are made. */
  readonly dir: string;
  /** Adds a public key line to the authorized keys. */
  authorize(publicLine: string): void;
  /** sshd's log so far (LogLevel VERBOSE, internal-sftp -l INFO: one line per file operation). */
  log(): string;
  /** Kills every connection (sshd's per-connection children) with SIGKILL; the listener stays. */
  killConnections(): void;
  stop(): Promise<void>;
}

/** Starts sshd as the current user (root in CI works too), stopped when the test ends. */
export async function startSshd(t: { after: (fn: () => unknown) => void }): Promise<Sshd> {
  const dir = tempDir(t, 'passerelle-sshd-');
  const root = join(dir, 'root');
  mkdirSync(root);
  const hostKey = sshKeygen(dir, 'host_ed25519');
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, '', { mode: 0o600 });
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = userInfo().username;
  let logText = '';
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey.path}`,
        'PidFile none',
        'UsePAM no',
        'StrictModes no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        `AuthorizedKeysFile ${authorized}`,
        `AllowUsers ${user}`,
        'LogLevel VERBOSE',
        `Subsystem sftp internal-sftp -l INFO -d ${root}`,
        'MaxStartups 100',
        '',
      ].join('\n'),
    );
    const proc = spawn(OPENSSH_SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (d: Buffer) => {
      logText += d.toString();
    });
    try {
      await waitForPort(port, proc, 'sshd', () => logText, 15_000);
    } catch (err) {
      proc.kill('SIGKILL');
      if (attempt < 3 && /Address already in use/.test(logText)) continue;
      throw err;
    }
    const killConnections = () => {
      const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(proc.pid)], { encoding: 'utf8' });
      for (const pid of r.stdout.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {}
      }
    };
    const stop = async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      killConnections();
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    };
    t.after(stop);
    return {
      host: '127.0.0.1',
      port,
      user,
      root,
      hostKey,
      dir,
      authorize: (line) => writeFileSync(authorized, `${line}\n`, { flag: 'a' }),
      log: () => logText,
      killConnections,
      stop,
    };
  }
}
