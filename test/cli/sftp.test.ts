import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sftpModule } from '../../src/sandbox/sftp/module.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

// Issue 12 item 3: `passerelle sftp submit|cancel|replies|ls` against the sandbox SFTP server,
// through the client configuration the sandbox writes (pinned host key, partner key, sender).
let sandbox: TestSandbox;
let fi: string;

before(async () => {
  // A reply delay long enough for a cancel to come before the pick-up; the waits poll for it.
  sandbox = await startTestSandbox([sftpModule({ replyDelayMs: 1500 })]);
  fi = join(sandbox.stateDir, 'dmfa.txt');
  writeFileSync(fi, 'DMFA;structured message;line 1\n'.repeat(5000));
});
after(async () => {
  await sandbox?.dispose();
});

type Json = Record<string, unknown>;
const json = (stdout: string) => JSON.parse(stdout) as Json;
const code = (stdout: string) => (json(stdout)['error'] as { code: string }).code;

test('sftp submit --wait: FI, FS, GO, and the ACCEPTED reply downloaded into the replies folder; not fetched twice', async () => {
  const r = await runCli(sandbox, 'sftp', 'submit', fi, '--wait', '60', '--json');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const out = json(r.stdout);
  assert.equal(out['ok'], true);
  assert.match(String(out['fi']), /^IN\/FI\.DMFA\.123456\.\d{8}\.\d{5}\.T\.1\.1$/);
  assert.match(String(out['fs']), /^IN\/FS\.DMFA\.123456\.\d{8}\.\d{5}\.T\.1\.1$/);
  assert.match(String(out['go']), /^IN\/GO\.DMFA\.123456\.\d{8}\.\d{5}\.T\.1$/);
  assert.equal(out['bytes'], readFileSync(fi).length);
  assert.equal(out['resumedFrom'], 0);
  const reply = out['reply'] as Json;
  assert.equal(reply['status'], 'ACCEPTED');
  assert.match(String(reply['name']), /^FO\.ACRF\.123456\.\d{8}\.\d{5}\.T$/);
  assert.match(readFileSync(String(reply['path']), 'utf8'), /<Status>ACCEPTED<\/Status>/);

  const again = await runCli(sandbox, 'sftp', 'replies', '--json');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(json(again.stdout)['fetched'], []);
  assert.ok(Number(json(again.stdout)['alreadyFetched']) >= 1);

  const ls = await runCli(sandbox, 'sftp', 'ls', 'OUT', '--json');
  assert.equal(ls.status, 0, ls.stderr);
  const names = (json(ls.stdout)['entries'] as { name: string }[]).map((e) => e.name);
  assert.ok(names.includes(String(reply['name'])), names.join(','));
});

test('sftp submit --no-sign in the test environment (T): accepted without FS', async () => {
  const r = await runCli(sandbox, 'sftp', 'submit', fi, '--no-sign', '--wait', '60', '--json');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(json(r.stdout)['fs'], null);
  assert.equal((json(r.stdout)['reply'] as Json)['status'], 'ACCEPTED');
});

test('sftp submit with another sender number: the reply says REJECTED SENDER_MISMATCH, exit 1', async () => {
  const r = await runCli(sandbox, 'sftp', 'submit', fi, '--sender', '654321', '--wait', '60', '--json');
  assert.equal(r.status, 1, r.stderr + r.stdout);
  const reply = json(r.stdout)['reply'] as Json;
  assert.equal(reply['status'], 'REJECTED');
  assert.equal((reply['reason'] as Json)['code'], 'SENDER_MISMATCH');
});

test('sftp cancel before the pick-up: TD written, the reply says CANCELLED', async () => {
  const s = await runCli(sandbox, 'sftp', 'submit', fi, '--json');
  assert.equal(s.status, 0, s.stderr);
  const name = String(json(s.stdout)['fi']).slice('IN/'.length);
  const c = await runCli(sandbox, 'sftp', 'cancel', name, '--json');
  assert.equal(c.status, 0, c.stderr + c.stdout);
  assert.match(String(json(c.stdout)['td']), /^IN\/TD\.DMFA\.123456\.\d{8}\.\d{5}\.T\.1$/);
  const r = await runCli(sandbox, 'sftp', 'replies', '--wait', '60', '--for', name, '--json');
  assert.equal(r.status, 0, r.stderr);
  const fetched = json(r.stdout)['fetched'] as Json[];
  const sequence = name.split('.')[4];
  const mine = fetched.find((f) => String(f['name']).split('.')[4] === sequence);
  assert.equal(mine?.['status'], 'CANCELLED', JSON.stringify(fetched));
  const late = await runCli(sandbox, 'sftp', 'cancel', name, '--json');
  assert.equal(late.status, 1);
  assert.equal(code(late.stdout), 'ERR_SFTP_CANCEL_REFUSED');
});

test('usage errors: --wait not a number, --for without --wait, a missing file', async () => {
  const w = await runCli(sandbox, 'sftp', 'submit', fi, '--wait', 'soon', '--json');
  assert.equal(w.status, 2);
  assert.equal(code(w.stdout), 'ERR_USAGE');
  const f = await runCli(
    sandbox,
    'sftp',
    'replies',
    '--for',
    'FI.DMFA.123456.20261202.00001.T.1.1',
    '--json',
  );
  assert.equal(f.status, 2);
  assert.equal(code(f.stdout), 'ERR_USAGE');
  const m = await runCli(sandbox, 'sftp', 'submit', 'nope.txt', '--json');
  assert.equal(m.status, 1);
  assert.equal(code(m.stdout), 'ERR_FILE_NOT_FOUND');
});

test('a bad name to cancel is ERR_SFTP_NAME_INVALID; a changed pinned host key is refused', async () => {
  const bad = await runCli(sandbox, 'sftp', 'cancel', '../etc/passwd', '--json');
  assert.equal(bad.status, 1);
  assert.equal(code(bad.stdout), 'ERR_SFTP_NAME_INVALID');
  const config = JSON.parse(readFileSync(sandbox.configPath, 'utf8')) as {
    environments: { sandbox: { sftp: { hostKeys: string[] } } };
  };
  config.environments.sandbox.sftp.hostKeys = [`SHA256:${'A'.repeat(43)}`];
  const other = join(sandbox.stateDir, 'other.config.json');
  writeFileSync(other, JSON.stringify(config));
  const r = await runCli(sandbox, '--config', other, 'sftp', 'ls', '--json');
  assert.equal(r.status, 1);
  assert.equal(code(r.stdout), 'ERR_SFTP_HOST_KEY_CHANGED');
  assert.doesNotMatch(r.stdout + r.stderr, /PRIVATE KEY/);
});
