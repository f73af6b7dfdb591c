import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2, { type Client, type SFTPWrapper } from 'ssh2';
import { FrozenClock } from '../../../src/clock.ts';
import { MemoryLogger } from '../../../src/log.ts';
import { type RunningSandbox, startSandbox } from '../../../src/sandbox/host.ts';
import { type SftpModuleOptions, sftpModule } from '../../../src/sandbox/sftp/module.ts';
import { sshFingerprint } from '../../../src/sftp/host-key.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

export interface SftpSandbox {
  readonly sandbox: RunningSandbox;
  readonly clock: FrozenClock;
  readonly log: MemoryLogger;
  readonly port: number;
  /** The partner account's root on disk (IN/ and OUT/ inside). */
  readonly root: string;
  /** The partner's private key file and text. */
  readonly keyFile: string;
  readonly key: string;
  /** A known_hosts file holding the sandbox host key for 127.0.0.1:port. */
  readonly knownHosts: string;
  readonly hostKeyFingerprint: string;
  readonly dir: string;
  stats(): Readonly<Record<string, number>>;
}

/** A sandbox with only the sftp module: frozen clock, ephemeral port, fresh state, reply delay 0. */
export async function startSftp(
  t: { after: (fn: () => void | Promise<void>) => void },
  options: SftpModuleOptions = {},
): Promise<SftpSandbox> {
  const clock = new FrozenClock(TEST_NOW);
  const log = new MemoryLogger();
  const dir = tempDir(t, 'passerelle-sftp-');
  const stateDir = join(dir, 'state');
  const sandbox = await startSandbox({
    stateDir,
    clock,
    log,
    modules: [sftpModule({ replyDelayMs: 0, ...options })],
  });
  t.after(() => sandbox.close());
  const info = sandbox.info['sftp'] as {
    knownHostsLine: string;
    hostKeyFingerprint: string;
    partnerKeyFile: string;
    accounts: { root: string }[];
  };
  const port = Number(new URL(sandbox.endpoints['sftp']!).port);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${info.knownHostsLine}\n`);
  return {
    sandbox,
    clock,
    log,
    port,
    root: info.accounts[0]!.root,
    keyFile: info.partnerKeyFile,
    key: readFileSync(info.partnerKeyFile, 'utf8'),
    knownHosts,
    hostKeyFingerprint: info.hostKeyFingerprint,
    dir,
    stats: () => sandbox.modules['sftp']?.stats?.() ?? {},
  };
}

export interface Connected {
  readonly client: Client;
  readonly sftp: SFTPWrapper;
}

/** Logs in with ssh2's Client (the host key checked against the pin) and opens the SFTP subsystem. */
export function connect(
  s: SftpSandbox,
  t: { after: (fn: () => void) => void },
  login: { user?: string; privateKey?: string; password?: string } = {},
): Promise<Connected> {
  const client = new ssh2.Client();
  t.after(() => client.end());
  return new Promise((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', () => client.sftp((err, sftp) => (err ? reject(err) : resolve({ client, sftp }))));
    client.connect({
      host: '127.0.0.1',
      port: s.port,
      username: login.user ?? 'partner',
      ...(login.password === undefined
        ? { privateKey: login.privateKey ?? s.key }
        : { password: login.password }),
      hostVerifier: (key: Buffer) => sshFingerprint(key) === s.hostKeyFingerprint,
      readyTimeout: 10_000,
    });
  });
}

/** Promisifies one SFTP client call. */
export function call<T = unknown>(
  fn: (cb: (err: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** Asserts the call fails with the SFTP status `code` (2 NO_SUCH_FILE, 3 PERMISSION_DENIED, 4 FAILURE). */
export async function rejectsStatus(p: Promise<unknown>, code: number, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error & { code?: number }) => {
    assert.equal(e.code, code, `expected SFTP status ${code}, got ${String(e.code)}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** Asserts the sandbox log holds a refusal with this reason (and, when given, this path). */
export function assertRefusalLogged(s: SftpSandbox, reason: string, path?: string): void {
  const hit = s.log.entries.find(
    (e) =>
      e.fields['reason'] === reason &&
      e.fields['account'] !== undefined &&
      (path === undefined || String(e.fields['path']).includes(path)),
  );
  assert.ok(hit, `no refusal "${reason}"${path ? ` for ${path}` : ''} in the sandbox log`);
}

/** Polls `check` (10 ms steps) until it returns a value; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Writes `data` to the remote `path` in one go. */
export function put(sftp: SFTPWrapper, path: string, data: Buffer | string): Promise<void> {
  return call<void>((cb) => sftp.writeFile(path, data, cb));
}
