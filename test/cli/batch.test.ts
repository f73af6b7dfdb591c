import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { consoleModule } from '../../src/sandbox/console/module.ts';
import { eboxModule } from '../../src/sandbox/ebox/module.ts';
import { oauthModule } from '../../src/sandbox/oauth/module.ts';
import { runCli, startTestSandbox, type TestSandbox } from '../sandbox/oauth/_start.ts';

// Issue 11 item 3: `passerelle batch …` against a sandbox eBox that injects seeded transient
// faults, resets before storing and lost replies after storing: every good row ends published
// exactly once (counted by the sandbox), the bad rows are reported by line with their code.
let sandbox: TestSandbox;
let dir: string;
const CITIZENS = ['85073003328', '05031212360', '91451545659'];
const ROWS = 40;

before(async () => {
  sandbox = await startTestSandbox([
    consoleModule(),
    oauthModule(),
    eboxModule({ faults: { transientRate: 0.15, resetRate: 0.05, lostReplyRate: 0.05 } }),
  ]);
  dir = join(sandbox.stateDir, 'batch');
  mkdirSync(join(dir, 'docs'), { recursive: true });
  const rows = ['recipient,messageType,title,file'];
  for (let i = 1; i <= ROWS; i++) {
    writeFileSync(join(dir, 'docs', `d${i}.pdf`), `%PDF-1.4\n% statement ${i}\n`);
    rows.push(`${CITIZENS[i % 3]},PASSERELLE_PAYMENT_STATEMENT,"Statement ${i}, November",docs/d${i}.pdf`);
  }
  rows.push('85073003329,PASSERELLE_PAYMENT_STATEMENT,Bad INSS,docs/d1.pdf');
  rows.push('85073003328,PASSERELLE_PAYMENT_STATEMENT,No file,docs/missing.pdf');
  writeFileSync(join(dir, 'manifest.csv'), `${rows.join('\r\n')}\r\n`);
});
after(async () => {
  await sandbox?.dispose();
});

const state = () => join(dir, 'state.sqlite');
const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;
const code = (stdout: string) => (json(stdout)['error'] as { code: string }).code;

async function inboxCount(): Promise<number> {
  let n = 0;
  for (const inss of CITIZENS) {
    const r = await runCli(sandbox, 'sandbox', 'ebox', 'inbox', inss, '--json');
    assert.equal(r.status, 0, r.stderr);
    n += (json(r.stdout)['messages'] as unknown[]).length;
  }
  return n;
}

test('batch ebox-publish: faults are retried, every good row published exactly once, bad rows reported by line', async () => {
  const before = await inboxCount();
  const r = await runCli(
    sandbox,
    'batch',
    'ebox-publish',
    '--manifest',
    join(dir, 'manifest.csv'),
    '--state',
    state(),
    '--run-id',
    'nov',
    '--concurrency',
    '4',
    '--json',
  );
  assert.equal(r.status, 1, r.stderr);
  assert.equal(code(r.stdout), 'ERR_BATCH_ITEMS_FAILED');
  const counts = json(r.stdout)['counts'] as Record<string, number>;
  assert.deepEqual([counts['done'], counts['failed'], counts['invalid']], [ROWS, 0, 2]);
  assert.match(r.stderr, /"event":"retry"/, 'the injected faults were retried (JSON Lines progress events)');
  assert.equal((await inboxCount()) - before, ROWS, 'the sandbox holds each document once');
  const report = await runCli(
    sandbox,
    'batch',
    'report',
    'nov',
    '--state',
    state(),
    '--out',
    join(dir, 'r.json'),
  );
  assert.equal(report.status, 0, report.stderr);
  const items = (
    JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      items: { line: number; state: string; code?: string }[];
    }
  ).items;
  const byLine = new Map(items.map((i) => [i.line, i]));
  assert.equal(byLine.get(ROWS + 2)?.code, 'ERR_IDS_INSS_INVALID');
  assert.equal(byLine.get(ROWS + 3)?.code, 'ERR_FILE_NOT_FOUND');
  assert.equal(items.filter((i) => i.state === 'done').length, ROWS);
  const again = await runCli(sandbox, 'batch', 'resume', 'nov', '--state', state(), '--json');
  assert.equal(code(again.stdout), 'ERR_BATCH_ITEMS_FAILED', 'nothing left to send; the invalid rows stay');
  assert.equal((await inboxCount()) - before, ROWS, 'a resume sends nothing twice');
  const status = await runCli(sandbox, 'batch', 'status', 'nov', '--state', state(), '--json');
  assert.equal((json(status.stdout)['counts'] as Record<string, number>)['done'], ROWS);
});

test('batch refusals: --strict sends nothing, a password in --queue, an unknown run', async () => {
  const strict = await runCli(
    sandbox,
    'batch',
    'ebox-publish',
    '--manifest',
    join(dir, 'manifest.csv'),
    '--state',
    state(),
    '--strict',
    '--json',
  );
  assert.equal(strict.status, 1);
  assert.equal(code(strict.stdout), 'ERR_BATCH_MANIFEST_REJECTED');
  const secret = await runCli(
    sandbox,
    'batch',
    'status',
    '--queue',
    'postgres://u:hunter2@localhost/db',
    '--json',
  );
  assert.equal(code(secret.stdout), 'ERR_USAGE_SECRET_ON_ARGV');
  assert.doesNotMatch(secret.stdout + secret.stderr, /hunter2/);
  const unknown = await runCli(sandbox, 'batch', 'status', 'nope', '--state', state(), '--json');
  assert.equal(unknown.status, 2);
  assert.equal(code(unknown.stdout), 'ERR_USAGE');
});

test('Ctrl-C on a spawned `batch ebox-publish`: the run stops cleanly (exit 130), `batch resume` ends it, each document once', async () => {
  // Slow replies keep publications under way when SIGINT arrives.
  const slow = await startTestSandbox([
    consoleModule(),
    oauthModule(),
    eboxModule({ faults: { slowRate: 1, slowMs: 300 } }),
  ]);
  try {
    const work = join(slow.stateDir, 'sigint');
    mkdirSync(join(work, 'docs'), { recursive: true });
    const rows = ['recipient,messageType,title,file'];
    for (let i = 1; i <= 30; i++) {
      writeFileSync(join(work, 'docs', `d${i}.pdf`), `%PDF-1.4\n% ${i}\n`);
      rows.push(`85073003328,PASSERELLE_DECISION,Decision ${i},docs/d${i}.pdf`);
    }
    writeFileSync(join(work, 'manifest.csv'), `${rows.join('\n')}\n`);
    const stateFile = join(work, 'state.sqlite');
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        new URL('../../src/cli/bin.ts', import.meta.url).pathname,
        '--config',
        slow.configPath,
        '--env',
        'sandbox',
        'batch',
        'ebox-publish',
        '--manifest',
        join(work, 'manifest.csv'),
        '--state',
        stateFile,
        '--run-id',
        'sigint',
        '--concurrency',
        '2',
        '--json',
      ],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PASSERELLE_CONFIG: '' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // SIGINT once the run has started (its first JSON Lines event on stderr).
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        if (err.includes('"event":"start"')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before starting: ${err}`)));
    });
    child.kill('SIGINT');
    assert.equal(await exited, 130, err);
    const stopped = JSON.parse(out) as { stopped: boolean; counts: { done: number; total: number } };
    assert.equal(stopped.stopped, true);
    assert.ok(stopped.counts.done < 30, 'stopped before the end');
    const resumed = await runCli(slow, 'batch', 'resume', 'sigint', '--state', stateFile, '--json');
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal((json(resumed.stdout)['counts'] as Record<string, number>)['done'], 30);
    const inbox = await runCli(slow, 'sandbox', 'ebox', 'inbox', '85073003328', '--json');
    assert.equal(
      (json(inbox.stdout)['messages'] as unknown[]).length,
      30,
      'each document once in the sandbox',
    );
  } finally {
    await slow.dispose();
  }
});
