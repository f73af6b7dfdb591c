import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { captureIo } from '../_support/tmp.ts';

const run = async (...args: string[]) => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', ...args], {
    io: cap.io,
    env: {},
    cwd: '/nonexistent-dir',
  });
  return { status, stdout: cap.stdout, stderr: cap.stderr };
};

test('env show --json prints the registry', async () => {
  const r = await run('env', 'show', 'test', '--json');
  assert.equal(r.status, 0);
  const value = JSON.parse(r.stdout);
  assert.equal(value.entryIp, '85.91.184.96');
  assert.ok(value.endpoints.some((e: { name: string }) => e.name === 'cbss.mtom'));
});

test('unknown environment exits 2 with one line and the code', async () => {
  const r = await run('env', 'show', 'mars');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^passerelle: ERR_CONFIG_UNKNOWN_ENV: /);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace without --debug');
});

test('unknown environment with --json reports the code on stdout', async () => {
  const r = await run('--json', 'env', 'show', 'mars');
  assert.equal(r.status, 2);
  assert.equal(JSON.parse(r.stdout).error.code, 'ERR_CONFIG_UNKNOWN_ENV');
});

test('an unknown command is a usage error', async () => {
  const r = await run('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ERR_USAGE/);
});

test('secrets on argv are refused before anything runs', async () => {
  for (const flag of ['--password=x', '--token', '--passphrase']) {
    const r = await run('env', 'list', flag);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /ERR_USAGE_SECRET_ON_ARGV/);
    assert.doesNotMatch(r.stderr, /=x/);
  }
});
