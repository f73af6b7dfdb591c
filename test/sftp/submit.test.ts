import assert from 'node:assert/strict';
import { existsSync, readFileSync, unlinkSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { cancelSubmission } from '../../src/sftp/cancel.ts';
import { decodeSubmissionSignature } from '../../src/sftp/fs-signature.ts';
import { submitFile } from '../../src/sftp/submit.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { testPki } from '../_support/credentials.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { randomFile, sftpFixture, sha256File } from './_fixture.ts';

const clock = () => new FrozenClock('2026-06-15T10:00:00Z');
const base = { app: 'DMFA', sender: '123456', environment: 'T' as const, inDir: 'IN' };
const FI = 'FI.DMFA.123456.20260615.00001.T.1.1';

test('a signed submission: FI (via .part), then FS, then GO last, in that order on the server', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  const digest = await randomFile(join(dir, 'dmfa.xml'), 2 * 1024 * 1024);
  const events: string[] = [];
  const watcher = watch(join(f.sshd.root, 'IN'), (_e, name) => {
    if (name && existsSync(join(f.sshd.root, 'IN', name)) && events.at(-1) !== name) events.push(name);
  });
  t.after(() => watcher.close());
  const pki = await testPki();
  const r = await submitFile(s, {
    ...base,
    file: join(dir, 'dmfa.xml'),
    repliesDir: dir,
    clock: clock(),
    signer: pki.rsa,
  });
  await new Promise((res) => setTimeout(res, 200));
  assert.equal(r.fi, `IN/${FI}`);
  assert.equal(r.go, 'IN/GO.DMFA.123456.20260615.00001.T.1');
  assert.equal(r.fs, 'IN/FS.DMFA.123456.20260615.00001.T.1.1');
  assert.deepEqual([r.sha256, r.resumedFrom, r.restarted], [digest, 0, false]);
  assert.equal(await sha256File(join(f.sshd.root, r.fi)), digest);
  assert.ok(decodeSubmissionSignature(readFileSync(join(f.sshd.root, r.fs))).length > 0);
  const order = events.filter((n) => !n.endsWith('.part'));
  assert.deepEqual(order, [FI, 'FS.DMFA.123456.20260615.00001.T.1.1', 'GO.DMFA.123456.20260615.00001.T.1']);
  assert.equal(events[0], `${FI}.part`, 'the FI is written under its .part name first');
  const record = JSON.parse(readFileSync(join(dir, '.passerelle-sftp.json'), 'utf8'));
  assert.equal(record.submissions[0].state, 'triggered');
  assert.equal(record.submissions[0].sha256, digest);
  // next submission of the day takes the next free sequence; the same one again is refused
  const r2 = await submitFile(s, { ...base, file: join(dir, 'dmfa.xml'), repliesDir: dir, clock: clock() });
  assert.equal(r2.key.sequence, '00002');
  assert.equal(r2.fs, undefined);
  await rejectsCode(
    submitFile(s, {
      ...base,
      file: join(dir, 'dmfa.xml'),
      repliesDir: tempDir(t),
      clock: clock(),
      sequence: '00001',
    }),
    'ERR_SFTP_SUBMISSION_EXISTS',
  );
});

test('server closes mid-upload: no GO for the partial FI; the next submit resumes from the remote size', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const dir = tempDir(t);
  const size = 24 * 1024 * 1024;
  const digest = await randomFile(join(dir, 'big.bin'), size);
  const s1 = await f.connect({ requestsInFlight: 4, chunkSize: 32 * 1024 });
  let killed = false;
  const onProgress = (p: { bytes: number }) => {
    if (!killed && p.bytes >= 5 * 1024 * 1024) {
      killed = true;
      f.sshd.killConnections();
    }
  };
  await rejectsCode(
    submitFile(s1, { ...base, file: join(dir, 'big.bin'), repliesDir: dir, clock: clock(), onProgress }),
    'ERR_SFTP_CONNECT',
  );
  const partial = join(f.sshd.root, 'IN', `${FI}.part`);
  assert.ok(existsSync(partial));
  const remoteSize = readFileSync(partial).length;
  assert.ok(remoteSize > 0 && remoteSize < size, `partial ${remoteSize}`);
  assert.ok(!existsSync(join(f.sshd.root, 'IN/GO.DMFA.123456.20260615.00001.T.1')), 'no GO for a partial FI');
  assert.ok(!existsSync(join(f.sshd.root, 'IN', FI)));

  const s2 = await f.connect();
  const r = await submitFile(s2, { ...base, file: join(dir, 'big.bin'), repliesDir: dir, clock: clock() });
  assert.equal(r.key.sequence, '00001', 'same submission');
  assert.ok(r.resumedFrom > 0 && r.resumedFrom === remoteSize, `resumed from ${r.resumedFrom}`);
  assert.equal(r.restarted, false);
  assert.equal(r.sha256, digest);
  assert.equal(await sha256File(join(f.sshd.root, r.fi)), digest);
  assert.ok(existsSync(join(f.sshd.root, r.go)));
});

test('a tampered remote prefix is not resumed: deleted and uploaded again from zero (restarted)', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const dir = tempDir(t);
  const digest = await randomFile(join(dir, 'data.bin'), 4 * 1024 * 1024);
  const s1 = await f.connect({ requestsInFlight: 2, chunkSize: 32 * 1024 });
  let killed = false;
  const onProgress = (p: { bytes: number }) => {
    if (!killed && p.bytes >= 1024 * 1024) {
      killed = true;
      f.sshd.killConnections();
    }
  };
  await rejectsCode(
    submitFile(s1, { ...base, file: join(dir, 'data.bin'), repliesDir: dir, clock: clock(), onProgress }),
    'ERR_SFTP_CONNECT',
  );
  const partial = join(f.sshd.root, 'IN', `${FI}.part`);
  const bytes = readFileSync(partial);
  bytes[10] = bytes[10]! ^ 0xff;
  writeFileSync(partial, bytes);
  const s2 = await f.connect();
  const r = await submitFile(s2, { ...base, file: join(dir, 'data.bin'), repliesDir: dir, clock: clock() });
  assert.deepEqual([r.resumedFrom, r.restarted, r.sha256], [0, true, digest]);
  assert.equal(await sha256File(join(f.sshd.root, r.fi)), digest);
});

test('cancel: TD written while the GO is on the server; refused once the GO is gone', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  await randomFile(join(dir, 'a.xml'), 1000);
  const r = await submitFile(s, { ...base, file: join(dir, 'a.xml'), repliesDir: dir, clock: clock() });
  const c = await cancelSubmission(s, r.go, { inDir: 'IN', repliesDir: dir, clock: clock() });
  assert.equal(c.td, 'IN/TD.DMFA.123456.20260615.00001.T.1');
  assert.equal(readFileSync(join(f.sshd.root, c.td)).length, 0);
  assert.equal(
    JSON.parse(readFileSync(join(dir, '.passerelle-sftp.json'), 'utf8')).submissions[0].state,
    'cancelled',
  );
  await rejectsCode(cancelSubmission(s, FI, { inDir: 'IN' }), 'ERR_SFTP_CANCEL_REFUSED');
  const r2 = await submitFile(s, { ...base, file: join(dir, 'a.xml'), repliesDir: dir, clock: clock() });
  unlinkSync(join(f.sshd.root, r2.go)); // the platform picked it up
  await rejectsCode(cancelSubmission(s, r2.fi, { inDir: 'IN' }), 'ERR_SFTP_CANCEL_REFUSED');
  assert.ok(!existsSync(join(f.sshd.root, 'IN/TD.DMFA.123456.20260615.00002.T.1')));
  await rejectsCode(cancelSubmission(s, 'not-a-name', { inDir: 'IN' }), 'ERR_SFTP_NAME_INVALID');
});
