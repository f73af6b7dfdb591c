import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/output.ts';
import { startMtomSandbox } from '../sandbox/soa-mtom/_sandbox.ts';

const { sandbox, clock, dir } = await startMtomSandbox({ after });

/** Runs the CLI against the sandbox; `tty` makes stderr a terminal (progress collected apart). */
async function run(args: string[], { tty = false } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const io: Io = {
    out: (s) => void out.push(s),
    err: (s) => void err.push(s),
    ...(tty ? { progress: (s: string) => void progress.push(s) } : {}),
  };
  const status = await main(
    ['node', 'passerelle', '--config', sandbox.configPath, '--env', 'sandbox', ...args],
    { io, clock, cwd: dir, env: {} },
  );
  return { status, stdout: out.join('\n'), stderr: err.join('\n'), progress };
}

test('on a terminal, upload and download show a progress line on stderr, up to 100 %, then clear it', async () => {
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(2 * 1024 * 1024, 7));
  const up = await run(['call', 'mtom:upload', '--file', 'big.bin'], { tty: true });
  assert.equal(up.status, 0, up.stderr);
  assert.ok(up.progress.length >= 3, up.progress.join('|'));
  assert.match(up.progress[0]!, /^mtom:upload {2}[\d.]+ (KiB|MiB) \/ 2\.0 MiB {2}\d+%$/);
  assert.equal(up.progress.at(-2), 'mtom:upload  2.0 MiB / 2.0 MiB  100%');
  assert.equal(up.progress.at(-1), '');
  assert.match(up.stdout, /mtom:upload on sandbox: ok/);
  assert.equal(up.stderr, '', 'progress goes to the status line only');

  const down = await run(['call', 'mtom:download', '--size', '1M', '--out', 'p.bin'], { tty: true });
  assert.equal(down.status, 0, down.stderr);
  assert.equal(down.progress.at(-2), 'mtom:download  1.0 MiB / 1.0 MiB  100%');
  const pcts = down.progress.slice(0, -1).map((p) => Number(/(\d+)%$/.exec(p)?.[1]));
  assert.deepEqual(
    pcts,
    [...pcts].sort((a, b) => a - b),
    'increasing',
  );
});

test('--json on a terminal: no progress, one { ok: true } object', async () => {
  const r = await run(['--json', 'call', 'mtom:download', '--size', '64k', '--out', 'q.bin'], { tty: true });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.progress, []);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.size, 65536);
});

test('a missing --file is ERR_FILE_NOT_FOUND (exit 1) with the path, a directory ERR_FILE_UNREADABLE; nothing is sent', async () => {
  const uploads = sandbox.modules['soa-mtom']?.stats?.()['uploads'];
  const missing = await run(['--json', 'call', 'mtom:upload', '--file', 'nope.pdf']);
  assert.equal(missing.status, 1);
  const e = JSON.parse(missing.stdout);
  assert.equal(e.ok, false);
  assert.equal(e.error.code, 'ERR_FILE_NOT_FOUND');
  assert.equal(e.error.message, `Cannot read the file to upload ${join(dir, 'nope.pdf')}: it does not exist`);
  assert.deepEqual(e.error.details, { path: join(dir, 'nope.pdf'), errno: 'ENOENT', setting: '--file' });
  assert.match(e.error.hint, /--file/);
  mkdirSync(join(dir, 'folder'), { recursive: true });
  const folder = await run(['call', 'mtom:upload', '--file', 'folder']);
  assert.equal(folder.status, 1);
  assert.match(
    folder.stderr,
    /^passerelle: ERR_FILE_UNREADABLE: .*folder: it is a directory\n {2}→ --file must name a file/,
  );
  assert.equal(sandbox.modules['soa-mtom']?.stats?.()['uploads'], uploads);
});

test('an --out that cannot be written is ERR_FILE_UNWRITABLE before anything is asked; no .part is left', async () => {
  const r = await run(['--json', 'call', 'mtom:download', '--size', '1k', '--out', 'no/such/dir/x.bin']);
  assert.equal(r.status, 1);
  const e = JSON.parse(r.stdout).error;
  assert.equal(e.code, 'ERR_FILE_UNWRITABLE');
  assert.equal(e.details.path, join(dir, 'no/such/dir/x.bin.part'));
  assert.equal(e.details.errno, 'ENOENT');
  assert.match(e.hint, /--out/);
  assert.ok(!existsSync(join(dir, 'no')));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.part')),
    [],
  );
});
