import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { reportError } from '../../src/cli/output.ts';
import { packageVersion } from '../../src/cli/version.ts';
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

test('an unknown option is reported as unknown, with the --help of its command (exit 2)', async () => {
  const r = await run('env', 'list', '--frobnicate');
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    "passerelle: ERR_USAGE: unknown option '--frobnicate'\n  → Run `passerelle env list --help` to see its arguments and options.",
  );
  const json = await run(
    '--config',
    'call',
    '--json',
    'call',
    'cbss:test-connection',
    '--echo',
    'x',
    '--bogus',
  );
  assert.equal(json.status, 2);
  assert.deepEqual(JSON.parse(json.stdout), {
    ok: false,
    error: {
      code: 'ERR_USAGE',
      message: "unknown option '--bogus'",
      hint: 'Run `passerelle call cbss:test-connection --help` to see its arguments and options.',
      details: { command: 'passerelle call cbss:test-connection', reason: 'unknownOption' },
    },
  });
});

test('an unknown command names the --help that lists the commands; a missing option or argument its command', async () => {
  const top = await run('--json', 'frobnicate');
  assert.equal(top.status, 2);
  const e = JSON.parse(top.stdout).error;
  assert.equal(e.message, "unknown command 'frobnicate'");
  assert.equal(e.hint, 'Run `passerelle --help` to see its commands.');
  const sub = await run('call', 'nope:op');
  assert.equal(sub.status, 2);
  assert.match(
    sub.stderr,
    /^passerelle: ERR_USAGE: unknown command 'nope:op'\n {2}→ Run `passerelle call --help`/,
  );
  const missing = await run('--json', 'cert', 'check');
  assert.equal(JSON.parse(missing.stdout).error.message, "missing required argument 'file'");
  assert.match(JSON.parse(missing.stdout).error.hint, /`passerelle cert check --help`/);
  const required = await run('--json', 'call', 'cbss:test-connection');
  assert.equal(JSON.parse(required.stdout).error.message, "required option '--echo <text>' not specified");
});

test('--version prints the version of package.json; --json gives { ok: true, version }', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const plain = await run('--version');
  assert.equal(plain.status, 0);
  assert.equal(plain.stdout, version);
  assert.equal((await run('-V')).stdout, version);
  const json = await run('--json', '--version');
  assert.equal(json.status, 0);
  assert.deepEqual(JSON.parse(json.stdout), { ok: true, version });
  assert.equal(packageVersion(), version);
});

test('an unknown environment given by --env or PASSERELLE_ENV says where it came from and names both', async () => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', '--json', 'call', 'cbss:test-connection', '--echo', 'x'], {
    io: cap.io,
    env: { PASSERELLE_ENV: 'mars' },
    cwd: '/nonexistent-dir',
  });
  assert.equal(status, 2);
  const e = JSON.parse(cap.stdout).error;
  assert.equal(e.code, 'ERR_CONFIG_UNKNOWN_ENV');
  assert.equal(e.message, 'Unknown environment "mars" (from PASSERELLE_ENV)');
  assert.match(e.hint, /--env or PASSERELLE_ENV/);
});

test('a failure that is not a PasserelleError is ERR_INTERNAL (exit 1, not a usage error), its message only with --debug', async () => {
  const failingOut = (debug: boolean) => {
    const err: string[] = [];
    const io = {
      out: () => {
        throw new RangeError('boom: s3cr3t-looking detail');
      },
      err: (s: string) => void err.push(s),
    };
    const argv = ['node', 'passerelle', 'env', 'list', ...(debug ? ['--debug'] : [])];
    return main(argv, { io, env: {}, cwd: '/nonexistent-dir' }).then((status) => ({
      status,
      stderr: err.join('\n'),
    }));
  };
  const plain = await failingOut(false);
  assert.equal(plain.status, 1);
  assert.match(plain.stderr, /^passerelle: ERR_INTERNAL: Internal error \(RangeError\)/);
  assert.match(plain.stderr, /--debug/);
  assert.doesNotMatch(plain.stderr, /s3cr3t/);
  const debug = await failingOut(true);
  assert.equal(debug.status, 1);
  assert.match(debug.stderr, /ERR_INTERNAL/);
  assert.match(debug.stderr, /RangeError: boom/);
});

test('reportError: a TypeError is ERR_INTERNAL too (exit 1), in --json as well', () => {
  const cap = captureIo();
  const status = reportError(cap.io, new TypeError('x is not a function'), { json: true, debug: false });
  assert.equal(status, 1);
  const printed = JSON.parse(cap.stdout);
  assert.equal(printed.error.code, 'ERR_INTERNAL');
  assert.match(printed.error.hint, /--debug/);
});
