import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { FrozenClock } from '../../src/clock.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';

const run = async (cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', ...args], {
    io: cap.io,
    env,
    cwd,
    clock: new FrozenClock(TEST_NOW),
  });
  return { status, stdout: cap.stdout, stderr: cap.stderr };
};

test('cert csr writes an encrypted key (0600), a generated pass file and a CSR that openssl verifies', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const r = await run(
    dir,
    {},
    '--json',
    'cert',
    'csr',
    '--profile',
    'ebox',
    '--cbe',
    '0123456749',
    '--institution',
    'Acme',
    '--app',
    'urn:be:acme:app',
    '--env',
    'ACC',
    '--key-type',
    'ec-p256',
    '--out',
    'out',
  );
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.equal(v.key, join(dir, 'out', 'ebox-acc.key'));
  assert.equal(statSync(v.key).mode & 0o777, 0o600);
  assert.equal(statSync(v.passwordFile).mode & 0o777, 0o600);
  assert.match(readFileSync(v.key, 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
  assert.equal(runPeer('openssl', ['req', '-verify', '-noout', '-in', v.csr]).status, 0);
  assert.equal(
    runPeer('openssl', ['pkey', '-in', v.key, '-passin', `file:${v.passwordFile}`, '-noout']).status,
    0,
  );
  // Never overwrites a key.
  const again = await run(
    dir,
    {},
    'cert',
    'csr',
    '--profile',
    'ebox',
    '--cbe',
    '0123456749',
    '--institution',
    'Acme',
    '--app',
    'urn:x',
    '--env',
    'ACC',
    '--out',
    'out',
  );
  assert.equal(again.status, 2);
  assert.match(again.stderr, /ERR_USAGE/);
});

test('cert csr with --password-env uses it and writes no pass file; invalid CBE exits 1 with the code', async (t) => {
  const dir = tempDir(t);
  const r = await run(
    dir,
    { KEY_PW: 'from-env' },
    'cert',
    'csr',
    '--profile',
    'cbss',
    '--cbe',
    '0123456749',
    '--institution',
    'Acme',
    '--app',
    'urn:x',
    '--out',
    '.',
    '--password-env',
    'KEY_PW',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'cbss.key')) && !existsSync(join(dir, 'cbss.key.pass')));
  assert.doesNotMatch(r.stdout, /from-env/);
  const bad = await run(
    dir,
    {},
    'cert',
    'csr',
    '--profile',
    'cbss',
    '--cbe',
    '0123456748',
    '--institution',
    'Acme',
    '--app',
    'urn:x',
    '--out',
    'b',
  );
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /ERR_IDS_CBE_INVALID: .*expected 49/);
  const secret = await run(dir, {}, 'cert', 'inspect', 'x.p12', '--password=hunter2');
  assert.equal(secret.status, 2);
  assert.match(secret.stderr, /ERR_USAGE_SECRET_ON_ARGV/);
});

test('cert dev-ca, then check (exit 0 / 1) and inspect on what it wrote', async (t) => {
  if (!requirePeer(t, 'openssl')) return;
  const dir = tempDir(t);
  const r = await run(dir, {}, '--json', 'cert', 'dev-ca', '--out', 'pki');
  assert.equal(r.status, 0, r.stderr);
  const v = JSON.parse(r.stdout);
  assert.deepEqual(
    v.credentials.map((c: { name: string }) => c.name),
    ['server', 'partner-tls', 'partner-app'],
  );
  for (const c of v.credentials) {
    const ok = runPeer('openssl', [
      'verify',
      '-attime',
      String(TEST_NOW / 1000),
      '-CAfile',
      v.ca,
      c.certPath,
    ]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  }
  const good = await run(
    dir,
    {},
    '--json',
    'cert',
    'check',
    'pki/partner-app.crt',
    '--profile',
    'ebox',
    '--ca',
    'pki/ca.crt',
  );
  assert.equal(good.status, 0, good.stdout);
  assert.equal(JSON.parse(good.stdout).ok, true);
  const bad = await run(
    dir,
    {},
    'cert',
    'check',
    'pki/server.crt',
    '--profile',
    'ebox',
    '--ca',
    'pki/ca.crt',
  );
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /✗ error {3}subject\.cbe-missing/);
  const inspect = await run(
    dir,
    {},
    '--json',
    'cert',
    'inspect',
    'pki/partner-app.p12',
    '--password-file',
    'pki/password',
  );
  assert.equal(inspect.status, 0, inspect.stderr);
  const entries = JSON.parse(inspect.stdout).entries;
  assert.ok(
    entries.some(
      (e: { kind: string; friendlyName: string }) => e.kind === 'key' && e.friendlyName === 'partner-app',
    ),
  );
  assert.doesNotMatch(inspect.stdout, new RegExp(readFileSync(join(dir, 'pki', 'password'), 'utf8').trim()));
  const wrong = await run(
    dir,
    { PW: 'nope' },
    'cert',
    'inspect',
    'pki/partner-app.p12',
    '--password-env',
    'PW',
  );
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^passerelle: ERR_PKI_BAD_PASSWORD: /);
  // A second run reuses the CA.
  const again = await run(dir, {}, '--json', 'cert', 'dev-ca', '--out', 'pki');
  assert.equal(JSON.parse(again.stdout).reusedCa, true);
});

test('cert check on an expiring certificate warns, and --json keeps the findings', async (t) => {
  const pki = await testPki();
  const dir = tempDir(t);
  writeFileSync(join(dir, 'app.crt'), pki.rsa.certPem);
  const cap = captureIo();
  const soon = Date.parse(pki.rsa.certificate.validTo) - 10 * 86_400_000;
  const status = await main(
    ['node', 'passerelle', '--json', 'cert', 'check', 'app.crt', '--profile', 'ebox'],
    { io: cap.io, env: {}, cwd: dir, clock: new FrozenClock(soon) },
  );
  assert.equal(status, 0);
  const v = JSON.parse(cap.stdout);
  assert.ok(
    v.findings.some(
      (f: { id: string; severity: string }) => f.id === 'validity.expiring' && f.severity === 'warning',
    ),
  );
  const missing = await run(dir, {}, 'cert', 'check', 'nope.crt');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /ERR_PKI_FILE_UNREADABLE/);
});
