import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { submitFile } from '../../src/sftp/submit.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { outOfDateCredentials, testPki } from '../_support/credentials.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { randomFile, sftpFixture } from './_fixture.ts';

const clock = () => new FrozenClock('2026-06-15T10:00:00Z');
const base = { app: 'DMFA', sender: '123456', environment: 'T' as const, inDir: 'IN' };
const FI = 'FI.DMFA.123456.20260615.00001.T.1.1';
const GO = 'GO.DMFA.123456.20260615.00001.T.1';

/** Overwrites one byte of `path` in place (same size). */
function flipByte(path: string, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    byte[0] = readFileSync(path)[position]! ^ 0xff;
    writeSync(fd, byte, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}

test('the local file changes after the upload, before the FS: mismatch, no FS, no GO', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect({ chunkSize: 32 * 1024, requestsInFlight: 4 });
  const dir = tempDir(t);
  const file = join(dir, 'dmfa.xml');
  const size = 1024 * 1024;
  await randomFile(file, size);
  const pki = await testPki();
  let changed = false;
  const onProgress = (p: { bytes: number; total: number }) => {
    if (p.bytes === p.total && !changed) {
      changed = true; // every byte was read and sent: now the file changes under the signer
      flipByte(file, 100);
    }
  };
  const e = await rejectsCode(
    submitFile(s, { ...base, file, repliesDir: dir, clock: clock(), signer: pki.rsa, onProgress }),
    'ERR_SFTP_UPLOAD_MISMATCH',
  );
  assert.ok(changed);
  assert.equal(e.details['stage'], 'signed');
  assert.notEqual(e.details['expected'], e.details['actual']);
  const remote = readdirSync(join(f.sshd.root, 'IN'));
  assert.deepEqual(remote, [FI], 'the FI is there, but neither FS nor GO');
});

test('the local file changes during the upload (no signer): mismatch before the rename, no GO', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect({ chunkSize: 32 * 1024, requestsInFlight: 2 });
  const dir = tempDir(t);
  const file = join(dir, 'dmfa.xml');
  const size = 2 * 1024 * 1024;
  await randomFile(file, size);
  let changed = false;
  const onProgress = (p: { bytes: number }) => {
    if (!changed && p.bytes > 0) {
      changed = true; // the end of the file has not been read yet
      flipByte(file, size - 1);
    }
  };
  const e = await rejectsCode(
    submitFile(s, { ...base, file, repliesDir: dir, clock: clock(), onProgress }),
    'ERR_SFTP_UPLOAD_MISMATCH',
  );
  assert.equal(e.details['stage'], 'uploaded');
  assert.ok(!existsSync(join(f.sshd.root, 'IN', FI)), 'not renamed to the FI name');
  assert.ok(!existsSync(join(f.sshd.root, 'IN', GO)));
  // the file is stable again: the next run restarts that upload (remote prefix differs) and succeeds
  const r = await submitFile(s, { ...base, file, repliesDir: dir, clock: clock() });
  assert.equal(r.key.sequence, '00001');
  assert.ok(existsSync(join(f.sshd.root, r.go)));
});

test('an expired or not yet valid signer is refused before anything is sent', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  await randomFile(join(dir, 'a.xml'), 1000);
  const { expired, early } = await outOfDateCredentials(await testPki());
  const e = await rejectsCode(
    submitFile(s, { ...base, file: join(dir, 'a.xml'), repliesDir: dir, clock: clock(), signer: expired }),
    'ERR_PKI_CREDENTIAL_EXPIRED',
  );
  assert.equal(e.details['role'], 'signing');
  await rejectsCode(
    submitFile(s, { ...base, file: join(dir, 'a.xml'), repliesDir: dir, clock: clock(), signer: early }),
    'ERR_PKI_CREDENTIAL_NOT_YET_VALID',
  );
  assert.deepEqual(readdirSync(join(f.sshd.root, 'IN')), [], 'nothing uploaded');
  assert.deepEqual(readdirSync(dir), ['a.xml'], 'no record, no lock');
});
