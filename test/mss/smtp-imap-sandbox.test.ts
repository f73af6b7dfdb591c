import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { openMssImap } from '../../src/mss/imap.ts';
import { sendMssMessage } from '../../src/mss/smtp.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { DEBIAN_PYTHON, requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { CAMILLE, LOUIS, startMss } from '../sandbox/mss/_mss.ts';
import { sampleCda } from './cda-sample.ts';

test('sandbox operator: send with SMTP (STARTTLS) from one professional, read with IMAP (implicit TLS) as the other', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const mss = await startMss(t);
  const ca = mss.sandbox.pki.ca.certPem;
  const dir = tempDir(t);
  const cdaFile = join(dir, 'cr.xml');
  writeFileSync(cdaFile, sampleCda());
  const pdf = join(dir, 'scan.pdf');
  const pdfBytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
  writeFileSync(pdf, pdfBytes);
  const sent = await sendMssMessage(
    {
      url: mss.endpoints['mss.smtp.starttls']!,
      mailbox: LOUIS.mailboxes[0],
      ca,
      auth: { kind: 'xoauth2', accessToken: () => mss.token({ rpps: LOUIS.rpps }) },
      timeoutMs: 10_000,
    },
    {
      to: [CAMILLE.mailboxes[0]],
      subject: 'CR',
      text: 'Bonjour',
      attachments: [{ path: pdf }],
      cda: [cdaFile],
      nil: 'NIL-TEST',
    },
  );
  assert.deepEqual(sent.accepted, [CAMILLE.mailboxes[0]]);

  const imap = await openMssImap({
    url: mss.endpoints['mss.imap']!,
    mailbox: CAMILLE.mailboxes[0],
    ca,
    auth: { kind: 'xoauth2', accessToken: () => mss.token({ rpps: CAMILLE.rpps }) },
    timeoutMs: 10_000,
  });
  t.after(() => imap.close());
  const [m] = await imap.list({ unseen: true });
  assert.ok(m);
  assert.equal(m.subject, 'CR');
  assert.deepEqual(m.mss, { nil: 'NIL-TEST', codecda: '11488-4', ins: 'O' });
  assert.equal(m.attachments, 2);
  const out = tempDir(t);
  const got = await imap.fetchToDir(m.uid, out);
  const names = got.attachments.map((a) => basename(a.file)).sort();
  assert.deepEqual(names, ['IHE_XDM.ZIP', 'scan.pdf']);
  assert.deepEqual(readFileSync(join(out, 'scan.pdf')), pdfBytes);
  const r = runPeer(DEBIAN_PYTHON, [
    '-c',
    'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("IHE_XDM/SUBSET01/DOC0001.XML").decode())',
    join(out, 'IHE_XDM.ZIP'),
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, sampleCda());
  await imap.markSeen(m.uid);
  assert.equal((await imap.list({ unseen: true })).length, 0);
});

test('sandbox operator: expired tokens refused on both protocols with the RFC 7628 status', async (t) => {
  const mss = await startMss(t);
  const ca = mss.sandbox.pki.ca.certPem;
  const expired = () => mss.token({ rpps: CAMILLE.rpps, iatOffset: -3600, ttl: 300 });
  const e1 = await rejectsCode(
    openMssImap({
      url: mss.endpoints['mss.imap.starttls']!,
      mailbox: CAMILLE.mailboxes[0],
      ca,
      auth: { kind: 'xoauth2', accessToken: expired },
    }),
    'ERR_MSS_TOKEN_REJECTED',
  );
  assert.equal(e1.details['status'], '401');
  const e2 = await rejectsCode(
    sendMssMessage(
      {
        url: mss.endpoints['mss.smtp']!,
        mailbox: CAMILLE.mailboxes[0],
        ca,
        auth: { kind: 'xoauth2', accessToken: expired },
      },
      { to: [LOUIS.mailboxes[0]], subject: 'x', nil: 'NIL-TEST' },
    ),
    'ERR_MSS_TOKEN_REJECTED',
  );
  assert.equal(e2.details['protocol'], 'smtp');
  assert.equal(e2.details['status'], '401');
});
