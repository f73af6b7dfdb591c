import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ResolvedEnvironment } from '../../src/config/environment.ts';
import { MemoryLogger } from '../../src/log.ts';
import { connectSftpEnvironment } from '../../src/sftp/connect-environment.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { requirePeer } from '../_support/peers.ts';
import { sshKeygen } from '../_support/sshd.ts';
import { sftpFixture } from './_fixture.ts';

function environment(sftp: NonNullable<ResolvedEnvironment['sftp']>, url: string): ResolvedEnvironment {
  return {
    name: 'acpt',
    channel: 'extranet',
    custom: true,
    endpoints: { sftp: { url, source: 'config' } },
    credentials: {},
    trust: {},
    oauth: {},
    sftp,
    institution: {},
    baseDir: '/',
  } as unknown as ResolvedEnvironment;
}

test('logs in with an ed25519 key (OpenSSH format) and an RSA key, against OpenSSH sshd', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  assert.equal(s.hostKeyFingerprint, f.sshd.hostKey.fingerprint);
  assert.deepEqual(
    (await s.list('.')).map((e) => e.name),
    ['IN', 'OUT'],
  );
  const rsa = sshKeygen(f.sshd.dir, 'id_rsa', { type: 'rsa' });
  f.sshd.authorize(rsa.publicLine);
  const r = await f.connect({ privateKey: readFileSync(rsa.path) });
  assert.equal((await r.list('IN')).length, 0);
});

test('an encrypted PEM RSA key with its passphrase from the environment (connectSftpEnvironment)', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const key = sshKeygen(f.sshd.dir, 'id_rsa_pem', { type: 'rsa', passphrase: 'correct horse', pem: true });
  f.sshd.authorize(key.publicLine);
  const url = `sftp://127.0.0.1:${f.sshd.port}`;
  const config = {
    user: f.sshd.user,
    key: key.path,
    keyPassword: { env: 'SFTP_PASS' },
    hostKeys: [f.sshd.hostKey.fingerprint],
  };
  const s = await connectSftpEnvironment(environment(config, url), {
    processEnv: { SFTP_PASS: 'correct horse' },
  });
  t.after(() => s.close());
  assert.equal((await s.list('.')).length, 2);
  const e = await rejectsCode(
    connectSftpEnvironment(environment(config, url), { processEnv: { SFTP_PASS: 'Zq9-not-it' } }),
    'ERR_SFTP_KEY_UNREADABLE',
  );
  assert.ok(
    !e.message.includes('Zq9') && !JSON.stringify(e.details).includes('Zq9'),
    'no passphrase in the error',
  );
  await rejectsCode(
    connectSftpEnvironment(environment({ ...config, keyPassword: undefined }, url)),
    'ERR_SFTP_KEY_UNREADABLE',
  );
  await rejectsCode(
    connectSftpEnvironment(environment(config, url), { processEnv: {} }),
    'ERR_CONFIG_SECRET_MISSING',
  );
  await rejectsCode(
    connectSftpEnvironment(environment({ ...config, key: undefined }, url)),
    'ERR_CONFIG_INVALID',
  );
  await rejectsCode(
    connectSftpEnvironment(environment({ ...config, user: undefined }, url)),
    'ERR_CONFIG_INVALID',
  );
});

test('an encrypted OpenSSH ed25519 key with the wrong passphrase is ERR_SFTP_KEY_UNREADABLE', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const key = sshKeygen(f.sshd.dir, 'id_enc', { passphrase: 's3cret-pass' });
  f.sshd.authorize(key.publicLine);
  const ok = await f.connect({ privateKey: { file: key.path }, passphrase: 's3cret-pass' });
  assert.equal((await ok.list('.')).length, 2);
  await rejectsCode(
    f.connect({ privateKey: { file: key.path }, passphrase: 'nope' }),
    'ERR_SFTP_KEY_UNREADABLE',
  );
  await rejectsCode(f.connect({ privateKey: 'not a key' }), 'ERR_SFTP_KEY_UNREADABLE');
});

test('an unauthorised key is ERR_SFTP_AUTH_FAILED', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const stranger = sshKeygen(f.sshd.dir, 'id_stranger');
  await rejectsCode(f.connect({ privateKey: { file: stranger.path } }), 'ERR_SFTP_AUTH_FAILED');
});

test('no pin: ERR_SFTP_HOST_KEY_UNKNOWN with the presented fingerprint; another pin: ERR_SFTP_HOST_KEY_CHANGED', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const unknown = await rejectsCode(f.connect({ hostKeys: [] }), 'ERR_SFTP_HOST_KEY_UNKNOWN');
  assert.equal(unknown.details['fingerprint'], f.sshd.hostKey.fingerprint);
  const other = sshKeygen(f.sshd.dir, 'other_host');
  const changed = await rejectsCode(
    f.connect({ hostKeys: [other.fingerprint] }),
    'ERR_SFTP_HOST_KEY_CHANGED',
  );
  assert.equal(changed.details['fingerprint'], f.sshd.hostKey.fingerprint);
  assert.deepEqual(changed.details['pinned'], [other.fingerprint]);
  // a known_hosts line for another host does not pin this one
  await rejectsCode(
    f.connect({ hostKeys: [`elsewhere ${f.sshd.hostKey.publicLine}`] }),
    'ERR_SFTP_HOST_KEY_UNKNOWN',
  );
  await rejectsCode(f.connect({ hostKeys: ['SHA256:bad'] }), 'ERR_SFTP_HOST_KEY_INVALID');
  assert.ok(!/Accepted publickey/.test(f.sshd.log()), 'refused before authenticating');
});

test('a known_hosts line [127.0.0.1]:port pins the host key', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const [type, b64] = f.sshd.hostKey.publicLine.split(' ');
  const s = await f.connect({ hostKeys: [`[127.0.0.1]:${f.sshd.port} ${type} ${b64}`] });
  assert.equal(s.hostKeyFingerprint, f.sshd.hostKey.fingerprint);
});

test('a key file readable by group or others is warned about, not refused', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  chmodSync(f.key.path, 0o644);
  const logger = new MemoryLogger();
  const s = await f.connect({ logger });
  assert.equal((await s.list('.')).length, 2);
  const warning = logger.entries.find((e) => e.level === 'warn');
  assert.match(warning?.msg ?? '', /group or others/);
  assert.equal(warning?.fields['mode'], '644');
  assert.ok(!JSON.stringify(logger.entries).includes('PRIVATE KEY'), 'no key material logged');
});

test('nothing listening is ERR_SFTP_CONNECT', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  await f.sshd.stop();
  const e = await rejectsCode(f.connect(), 'ERR_SFTP_CONNECT');
  assert.equal(e.details['reason'], 'ECONNREFUSED');
});
