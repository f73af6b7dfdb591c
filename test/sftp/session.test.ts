import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rejectsCode } from '../_support/assert-code.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { randomFile, sftpFixture, sha256File } from './_fixture.ts';

test('upload, list, rename, download round trip of a multi-MB file: SHA-256 equal, no temp file left', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect({ chunkSize: 32 * 1024, requestsInFlight: 16 });
  const dir = tempDir(t);
  const size = 9 * 1024 * 1024 + 12_345;
  const digest = await randomFile(join(dir, 'data.bin'), size);
  const progress: number[] = [];
  const up = await s.upload(join(dir, 'data.bin'), 'IN/data.tmp', {
    onProgress: (p) => progress.push(p.bytes),
  });
  assert.equal(up.bytes, size);
  assert.equal(progress.at(-1), size);
  assert.equal(await sha256File(join(f.sshd.root, 'IN/data.tmp')), digest, 'the server has the bytes');
  await s.rename('IN/data.tmp', 'IN/data.bin');
  const listed = await s.list('IN');
  assert.deepEqual(
    listed.map((e) => [e.name, e.size, e.type]),
    [['data.bin', size, 'file']],
  );
  assert.ok(listed[0]!.mtime instanceof Date);
  const down = await s.download('IN/data.bin', join(dir, 'back.bin'));
  assert.deepEqual(down, { bytes: size, sha256: digest });
  assert.equal(await sha256File(join(dir, 'back.bin')), digest);
  assert.deepEqual(readdirSync(dir).sort(), ['back.bin', 'data.bin']);
  assert.equal((await s.stat('IN'))?.type, 'directory');
  assert.equal(await s.stat('IN/none'), undefined);
});

test('resumed upload keeps the remote prefix and completes the file', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  const digest = await randomFile(join(dir, 'data.bin'), 3 * 1024 * 1024);
  const local = join(dir, 'data.bin');
  const { readFileSync } = await import('node:fs');
  writeFileSync(
    join(f.sshd.root, 'IN/part'),
    Buffer.concat([readFileSync(local).subarray(0, 1_000_000), Buffer.from('junk tail')]),
  );
  await s.upload(local, 'IN/part', { resumeFrom: 1_000_000 });
  assert.equal(await sha256File(join(f.sshd.root, 'IN/part')), digest);
  assert.deepEqual(await s.sha256Prefix('IN/part', 3 * 1024 * 1024), {
    sha256: digest,
    bytes: 3 * 1024 * 1024,
  });
});

test('refusals are ERR_SFTP_REMOTE with status and path; a failed download leaves no local file', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  const e = await rejectsCode(s.remove('IN/missing'), 'ERR_SFTP_REMOTE');
  assert.equal(e.details['status'], 2);
  assert.equal(e.details['statusName'], 'NO_SUCH_FILE');
  assert.equal(e.details['path'], 'IN/missing');
  await s.writeEmpty('IN/GO');
  await rejectsCode(s.writeEmpty('IN/GO'), 'ERR_SFTP_REMOTE');
  await rejectsCode(s.download('IN/missing', join(dir, 'x')), 'ERR_SFTP_REMOTE');
  await rejectsCode(s.list('nowhere'), 'ERR_SFTP_REMOTE');
  assert.deepEqual(readdirSync(dir), []);
});

test('a connection killed by the server: pending and later requests are ERR_SFTP_CONNECT', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  assert.equal((await s.list('.')).length, 2);
  f.sshd.killConnections();
  await rejectsCode(s.list('.'), 'ERR_SFTP_CONNECT');
  await rejectsCode(s.list('.'), 'ERR_SFTP_CONNECT');
  assert.ok(statSync(f.sshd.root).isDirectory());
});
