import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { fetchReplies } from '../../src/sftp/fetch-replies.ts';
import { submitFile } from '../../src/sftp/submit.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { sftpFixture } from './_fixture.ts';

const clock = () => new FrozenClock('2026-06-15T10:00:00Z');
const ack = (status: string, reason = '') =>
  `<Acknowledgement><Submission>FI.DMFA.123456.20260615.00001.T.1.1</Submission><Status>${status}</Status>${reason}<ReceivedAt>2026-06-15T10:00:05Z</ReceivedAt></Acknowledgement>`;

test('replies are fetched once, atomically, matched to their submission, with their status', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  writeFileSync(join(dir, 'a.xml'), '<DmfA/>');
  const sub = await submitFile(s, {
    app: 'DMFA',
    sender: '123456',
    environment: 'T',
    file: join(dir, 'a.xml'),
    repliesDir: dir,
    clock: clock(),
  });
  const out = join(f.sshd.root, 'OUT');
  writeFileSync(
    join(out, 'FO.ACRF.123456.20260615.00001.T'),
    ack('REJECTED', '<Reason code="FS_INVALID">bad signature</Reason>'),
  );
  writeFileSync(join(out, 'FO.NOTI.123456.20260614.00007.T'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(join(out, 'unrelated.txt'), 'x');
  const first = await fetchReplies(s, { repliesDir: dir, clock: clock() });
  assert.deepEqual(
    first.fetched.map((r) => r.name),
    ['FO.ACRF.123456.20260615.00001.T', 'FO.NOTI.123456.20260614.00007.T'],
  );
  const [acrf, noti] = first.fetched;
  assert.equal(acrf!.status, 'REJECTED');
  assert.deepEqual(acrf!.reason, { code: 'FS_INVALID', text: 'bad signature' });
  assert.equal(acrf!.submission, sub.fi);
  assert.equal(noti!.status, 'unknown');
  assert.equal(noti!.submission, undefined);
  assert.deepEqual(readFileSync(join(dir, noti!.name)), Buffer.from([0, 1, 2, 255]), 'kept byte for byte');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.includes('.part') || n.endsWith('.tmp')),
    [],
    'no temp file left',
  );
  const second = await fetchReplies(s, { repliesDir: dir, clock: clock() });
  assert.deepEqual([second.fetched.length, second.alreadyFetched], [0, 2]);
});

test('a reply downloaded but not recorded (crash in between) counts as fetched, not downloaded again', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  const name = 'FO.ACRF.123456.20260615.00003.T';
  // same size, other bytes: a new download would replace the local file with the remote one
  writeFileSync(join(f.sshd.root, 'OUT', name), ack('REJECTED'));
  writeFileSync(join(dir, name), ack('ACCEPTED'));
  const r = await fetchReplies(s, { repliesDir: dir, clock: clock() });
  assert.equal(r.fetched.length, 1);
  assert.equal(r.fetched[0]!.status, 'ACCEPTED');
  const record = JSON.parse(readFileSync(join(dir, '.passerelle-sftp.json'), 'utf8'));
  assert.equal(record.replies[0].name, name);
  assert.equal(record.replies[0].fetchedAt, '2026-06-15T10:00:00.000Z');
  assert.equal(readFileSync(join(dir, name), 'utf8'), ack('ACCEPTED'), 'not downloaded again');
  assert.equal((await fetchReplies(s, { repliesDir: dir })).fetched.length, 0);
});

test('wait: polls until the reply of the submission arrives; none in time is ERR_SFTP_REPLY_TIMEOUT', async (t) => {
  if (!requirePeer(t, 'sshd')) return;
  const f = await sftpFixture(t);
  const s = await f.connect();
  const dir = tempDir(t);
  const key = {
    app: 'DMFA',
    sender: '123456',
    date: '20260615',
    sequence: '00004',
    environment: 'T' as const,
  };
  const timer = setTimeout(
    () => writeFileSync(join(f.sshd.root, 'OUT', 'FO.ACRF.123456.20260615.00004.T'), ack('ACCEPTED')),
    300,
  );
  t.after(() => clearTimeout(timer));
  const r = await fetchReplies(s, {
    repliesDir: dir,
    wait: { timeoutMs: 10_000, pollMs: 50, forSubmission: key },
  });
  assert.deepEqual(
    r.fetched.map((x) => x.name),
    ['FO.ACRF.123456.20260615.00004.T'],
  );
  const again = await fetchReplies(s, { repliesDir: dir, wait: { timeoutMs: 1, forSubmission: key } });
  assert.equal(again.fetched.length, 0, 'already fetched: no wait');
  let caught: unknown;
  await fetchReplies(s, {
    repliesDir: dir,
    wait: { timeoutMs: 200, pollMs: 50, forSubmission: { ...key, sequence: '00005' } },
  }).catch((e: unknown) => {
    caught = e;
  });
  assert.ok(isPasserelleError(caught, 'ERR_SFTP_REPLY_TIMEOUT'), String(caught));
});
