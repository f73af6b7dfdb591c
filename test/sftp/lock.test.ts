import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { _acquireLock, LOCK_FILE } from '../../src/sftp/_lock.ts';
import { cancelSubmission } from '../../src/sftp/cancel.ts';
import { fetchReplies } from '../../src/sftp/fetch-replies.ts';
import { submitFile } from '../../src/sftp/submit.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { randomFile, sftpFixture } from './_fixture.ts';

const clock = new FrozenClock('2026-06-15T10:00:00Z');

/** The pid of a process that has exited (spawned and waited for). */
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', '']);
  assert.equal(r.status, 0);
  return r.pid;
};

test('a second holder of the lock is refused with the holder pid; released, it can be taken again', async (t) => {
  const dir = tempDir(t);
  const first = await _acquireLock(dir, clock);
  const held = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
  assert.equal(held.pid, process.pid);
  assert.equal(held.since, '2026-06-15T10:00:00.000Z');
  const e = await rejectsCode(_acquireLock(dir, clock), 'ERR_FILE_UNWRITABLE');
  assert.equal(e.details['pid'], process.pid);
  assert.match(e.hint ?? '', /another passerelle sftp process/i);
  await first.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
  const again = await _acquireLock(dir, clock);
  await again.release();
  assert.deepEqual(readdirSync(dir), [], 'no temporary file left behind');
});

test('a stale lock (its pid has exited) is taken over', async (t) => {
  const dir = tempDir(t);
  const pid = deadPid();
  writeFileSync(
    join(dir, LOCK_FILE),
    JSON.stringify({ pid, hostname: hostname(), token: 'old', since: 'x' }),
  );
  const lock = await _acquireLock(dir, clock);
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  await lock.release();
  assert.deepEqual(readdirSync(dir), []);
});

test('a lock of another host or an unreadable lock is not taken over', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, LOCK_FILE);
  writeFileSync(
    path,
    JSON.stringify({ pid: deadPid(), hostname: `${hostname()}-other`, token: 't', since: 'x' }),
  );
  await rejectsCode(_acquireLock(dir, clock), 'ERR_FILE_UNWRITABLE');
  writeFileSync(path, 'garbage');
  const e = await rejectsCode(_acquireLock(dir, clock), 'ERR_FILE_UNWRITABLE');
  assert.equal(e.details['pid'], null);
  assert.equal(readFileSync(path, 'utf8'), 'garbage', 'left as it was');
});

test('submit, cancel and replies refuse to run while another process holds the lock; nothing is sent', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  await randomFile(join(dir, 'a.xml'), 1000);
  const base = { app: 'DMFA', sender: '123456', environment: 'T' as const, repliesDir: dir, clock };
  const done = await submitFile(s, { ...base, file: join(dir, 'a.xml') });
  const other = await _acquireLock(dir, clock);
  t.after(() => other.release());
  const before = readdirSync(join(f.sshd.root, 'IN')).sort();
  await rejectsCode(submitFile(s, { ...base, file: join(dir, 'a.xml') }), 'ERR_FILE_UNWRITABLE');
  await rejectsCode(cancelSubmission(s, done.go, { repliesDir: dir, clock }), 'ERR_FILE_UNWRITABLE');
  await rejectsCode(fetchReplies(s, { repliesDir: dir, clock }), 'ERR_FILE_UNWRITABLE');
  assert.deepEqual(readdirSync(join(f.sshd.root, 'IN')).sort(), before, 'no FI, no TD written');
  await other.release();
  const c = await cancelSubmission(s, done.go, { repliesDir: dir, clock });
  assert.ok(existsSync(join(f.sshd.root, c.td)));
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'released after use');
});
