/**
 * Submissions through the sandbox SFTP server: a GO triggers the check and an FO.ACRF reply in
 * OUT/ (reply delay 0, clock frozen; tests wait for the reply file itself): accepted, rejected
 * with each reason code, cancelled by a TD.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { SFTPWrapper } from 'ssh2';
import type { Credential } from '../../../src/pki/credential.ts';
import { signSubmissionFile } from '../../../src/sftp/fs-signature.ts';
import { type SubmissionKey, submissionFileName } from '../../../src/sftp/names.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { call, connect, put, type SftpSandbox, startSftp, waitFor } from './_sftp.ts';

const s = await startSftp({ after });
const { sftp } = await connect(s, { after });
let seq = 0;
const key = (over: Partial<SubmissionKey> = {}): SubmissionKey => {
  seq += 1;
  return {
    app: 'DMFA',
    sender: '123456',
    date: '20260615',
    sequence: String(seq).padStart(5, '0'),
    environment: 'T',
    ...over,
  };
};
const replyName = (k: SubmissionKey) => `FO.ACRF.${k.sender}.${k.date}.${k.sequence}.${k.environment}`;

/** Reads the acknowledgement once it is in OUT/ (the sandbox writes it atomically). */
async function reply(sb: SftpSandbox, name: string) {
  const path = join(sb.root, 'OUT', name);
  const xml = await waitFor(() => (existsSync(path) ? readFileSync(path, 'utf8') : undefined));
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Acknowledgement>/);
  const root = parseXml(xml).documentElement!;
  const text = (n: string) => root.getElementsByTagName(n)[0]?.textContent ?? undefined;
  return {
    submission: text('Submission'),
    status: text('Status'),
    code: root.getElementsByTagName('Reason')[0]?.getAttribute('code') ?? undefined,
    receivedAt: text('ReceivedAt'),
  };
}

async function fs(data: Buffer, signer: Credential): Promise<Buffer> {
  const file = join(s.dir, `fi-${seq}`);
  writeFileSync(file, data);
  return signSubmissionFile(file, { signer, signingTime: new Date(s.clock.now()) });
}

/** Uploads FI (temporary name, then renamed), FS when given, then GO. */
async function submit(
  c: SFTPWrapper,
  k: SubmissionKey,
  fi: Buffer | undefined,
  fsBytes?: Buffer,
): Promise<void> {
  if (fi !== undefined) {
    await put(c, `/IN/${submissionFileName('FI', k)}.part`, fi);
    await call((cb) =>
      c.rename(`/IN/${submissionFileName('FI', k)}.part`, `/IN/${submissionFileName('FI', k)}`, cb),
    );
  }
  if (fsBytes !== undefined) await put(c, `/IN/${submissionFileName('FS', k)}`, fsBytes);
  await put(c, `/IN/${submissionFileName('GO', k)}`, '');
}

const inEmpty = (sb: SftpSandbox) => assert.deepEqual(readdirSync(join(sb.root, 'IN')), []);

test('a good submission (FI, FS by the partner signing key, GO) → ACCEPTED; FI/FS/GO gone from IN/', async () => {
  const k = key();
  const fi = Buffer.from('<DmfaOriginal>…</DmfaOriginal>\n'.repeat(1000));
  await submit(sftp, k, fi, await fs(fi, s.sandbox.pki.partner.signing));
  const r = await reply(s, replyName(k));
  assert.deepEqual(r, {
    submission: submissionFileName('FI', k),
    status: 'ACCEPTED',
    code: undefined,
    receivedAt: '2026-06-15T10:00:00.000Z',
  });
  inEmpty(s);
  // The partner downloads and removes its reply.
  assert.match(
    (await call<Buffer>((cb) => sftp.readFile(`/OUT/${replyName(k)}`, cb))).toString(),
    /ACCEPTED/,
  );
  await call((cb) => sftp.unlink(`/OUT/${replyName(k)}`, cb));
});

test('environment T without FS → ACCEPTED; environment R without FS → REJECTED FS_MISSING', async () => {
  const t = key();
  await submit(sftp, t, Buffer.from('data'));
  assert.equal((await reply(s, replyName(t))).status, 'ACCEPTED');
  const r = key({ environment: 'R' });
  await submit(sftp, r, Buffer.from('data'));
  assert.deepEqual(await reply(s, replyName(r)).then((x) => [x.status, x.code]), ['REJECTED', 'FS_MISSING']);
  inEmpty(s);
});

test('a GO without FI → REJECTED FI_MISSING', async () => {
  const k = key();
  await submit(sftp, k, undefined);
  assert.deepEqual(await reply(s, replyName(k)).then((x) => [x.status, x.code]), ['REJECTED', 'FI_MISSING']);
  inEmpty(s);
});

test('an FI still under its temporary name → REJECTED FI_INCOMPLETE', async () => {
  const k = key();
  await put(sftp, `/IN/${submissionFileName('FI', k)}.part`, 'half');
  await put(sftp, `/IN/${submissionFileName('GO', k)}`, '');
  assert.deepEqual(await reply(s, replyName(k)).then((x) => [x.status, x.code]), [
    'REJECTED',
    'FI_INCOMPLETE',
  ]);
  await call((cb) => sftp.unlink(`/IN/${submissionFileName('FI', k)}.part`, cb));
});

test('an FS over other bytes → REJECTED FS_INVALID', async () => {
  const k = key();
  await submit(
    sftp,
    k,
    Buffer.from('the real FI'),
    await fs(Buffer.from('another FI'), s.sandbox.pki.partner.signing),
  );
  assert.deepEqual(await reply(s, replyName(k)).then((x) => [x.status, x.code]), ['REJECTED', 'FS_INVALID']);
  inEmpty(s);
});

test('an FS by another certificate (the partner TLS key, same CA) → REJECTED FS_UNTRUSTED', async () => {
  const k = key({ environment: 'R' });
  const fi = Buffer.from('FI signed by the wrong key');
  await submit(sftp, k, fi, await fs(fi, s.sandbox.pki.partner.tls));
  assert.deepEqual(await reply(s, replyName(k)).then((x) => [x.status, x.code]), [
    'REJECTED',
    'FS_UNTRUSTED',
  ]);
});

test('an FS that is not a CMS signature → REJECTED FS_MALFORMED', async () => {
  const k = key();
  await submit(sftp, k, Buffer.from('x'), Buffer.from('not a signature'));
  assert.deepEqual(await reply(s, replyName(k)).then((x) => [x.status, x.code]), [
    'REJECTED',
    'FS_MALFORMED',
  ]);
});

test("another sender's number → REJECTED SENDER_MISMATCH; a malformed GO name → REJECTED NAME_INVALID", async () => {
  const k = key({ sender: '999999' });
  await submit(sftp, k, Buffer.from('x'));
  assert.deepEqual(await reply(s, replyName(k)).then((x) => [x.status, x.code]), [
    'REJECTED',
    'SENDER_MISMATCH',
  ]);
  await put(sftp, '/IN/GO.dmfa.123456.20260615.00077.T.1', '');
  assert.deepEqual(await reply(s, 'FO.ACRF.123456.20260615.00077.T').then((x) => [x.status, x.code]), [
    'REJECTED',
    'NAME_INVALID',
  ]);
  assert.equal(s.stats()['submissions.rejected'] !== undefined, true);
});

test('a TD while the GO waits → CANCELLED; files removed, no acceptance', async (t) => {
  const slow = await startSftp(t, { replyDelayMs: 60_000 });
  const c = await connect(slow, t);
  const k = key();
  await submit(c.sftp, k, Buffer.from('to be cancelled'));
  assert.equal(slow.stats()['submissions.waiting'], 1);
  await put(c.sftp, `/IN/${submissionFileName('TD', k)}`, '');
  const r = await reply(slow, replyName(k));
  assert.deepEqual([r.status, r.code], ['CANCELLED', undefined]);
  inEmpty(slow);
  assert.equal(slow.stats()['submissions.waiting'], 0);
  assert.equal(slow.stats()['submissions.cancelled'], 1);
});
