import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ErrorCode } from '../../../src/errors.ts';
import type { EboxPublication } from '../../../src/services/ebox/publication.ts';
import { publishEboxMessage } from '../../../src/services/ebox/soap-publish.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { testPki } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';
import { INSS, startEboxPeer } from './_peer.ts';

function file(t: { after: (fn: () => void) => void }, name: string, size = 1000): string {
  const path = join(tempDir(t, 'passerelle-ebox-'), name);
  writeFileSync(path, Buffer.alloc(size, 0x41));
  return path;
}

const base = (path: string): EboxPublication => ({
  recipient: INSS,
  messageType: 'ANNUAL_NOTICE',
  subject: { lang: 'fr', text: 'Avis' },
  document: { path },
  ticket: 'T-1',
});

test('hostile or bad input is refused with its code and nothing is sent', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const pdf = file(t, 'avis.pdf');
  const cases: [string, EboxPublication, ErrorCode][] = [
    ['bad INSS checksum', { ...base(pdf), recipient: '85073003329' }, 'ERR_IDS_INSS_INVALID'],
    [
      'subject of 401 characters',
      { ...base(pdf), subject: { lang: 'fr', text: 'x'.repeat(401) } },
      'ERR_EBOX_INVALID_INPUT',
    ],
    [
      'subject in two languages',
      {
        ...base(pdf),
        subject: { lang: 'fr', text: 'Avis', nl: 'Bericht' } as unknown as EboxPublication['subject'],
      },
      'ERR_EBOX_INVALID_INPUT',
    ],
    ['message type of 5 characters', { ...base(pdf), messageType: 'SHORT' }, 'ERR_EBOX_INVALID_INPUT'],
    [
      'file name of 81 characters',
      { ...base(pdf), document: { path: pdf, fileName: `${'n'.repeat(77)}.pdf` } },
      'ERR_EBOX_INVALID_INPUT',
    ],
    [
      'unknown MIME type',
      { ...base(pdf), document: { path: pdf, mime: 'application/x-msdownload' } },
      'ERR_EBOX_INVALID_INPUT',
    ],
    ['no MIME for the extension', { ...base(file(t, 'run.exe')) }, 'ERR_EBOX_INVALID_INPUT'],
    [
      'missing main content',
      { ...base(pdf), document: undefined as unknown as EboxPublication['document'] },
      'ERR_EBOX_INVALID_INPUT',
    ],
    ['annex over SOAP', { ...base(pdf), annexes: [{ path: pdf }] }, 'ERR_EBOX_INVALID_INPUT'],
    ['no ticket', { ...base(pdf), ticket: undefined }, 'ERR_EBOX_INVALID_INPUT'],
    [
      'SenderID of another institution',
      { ...base(pdf), senderApplication: 'urn:be:test:app:rsa', senderInstitution: '0203201340' },
      'ERR_EBOX_SENDER_MISMATCH',
    ],
    [
      'SHA-1 requested',
      { ...base(pdf), document: { path: pdf, digestAlgorithm: 'SHA-1' as 'SHA-256' } },
      'ERR_EBOX_DIGEST_ALGORITHM',
    ],
    ['a file that does not exist', { ...base(join(tempDir(t), 'missing.pdf')) }, 'ERR_FILE_NOT_FOUND'],
    [
      'a directory',
      { ...base(tempDir(t)), document: { path: tempDir(t), fileName: 'x.pdf' } },
      'ERR_FILE_UNREADABLE',
    ],
  ];
  for (const [name, publication, code] of cases) {
    await t.test(name, async () => {
      await rejectsCode(publishEboxMessage(ctx, publication), code);
    });
  }
  const mismatch = (await rejectsCode(
    publishEboxMessage(ctx, { ...base(pdf), senderApplication: 'urn:x', senderInstitution: '0203201340' }),
    'ERR_EBOX_SENDER_MISMATCH',
  )) as { details: Record<string, unknown> };
  assert.equal(mismatch.details['businessCode'], '20');
  assert.equal(mismatch.details['origin'], 'client');
  assert.equal(peer.received.length, 0, 'the peer received no request');
});

test('a signing certificate without the CBE OU is ERR_EBOX_CERT_NO_CBE, nothing sent', async (t) => {
  const pki = await testPki();
  const noCbe = await pki.issue({
    subject: 'C=BE, O=Federal Government, OU=Test Institution, CN=urn:be:test:app:nocbe',
    usage: 'tls-client-signing',
  });
  const { peer, ctx } = await startEboxPeer(t, noCbe);
  await rejectsCode(publishEboxMessage(ctx, base(file(t, 'a.pdf'))), 'ERR_EBOX_CERT_NO_CBE');
  assert.equal(peer.received.length, 0);
});

test('a document of at most 512 KiB is read once: changed while it is sent, the peer still gets the bytes that were digested; progress counts every byte', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const path = file(t, 'small.pdf', 300 * 1024);
  let sent = 0;
  const result = await publishEboxMessage(ctx, base(path), {
    onProgress: (n) => {
      if (sent === 0) writeFileSync(path, Buffer.alloc(300 * 1024, 0x42));
      sent += n;
    },
  });
  assert.equal(sent, 300 * 1024);
  assert.equal(result.document.size, 300 * 1024);
  const body = peer.received.at(-1)!.body;
  assert.ok(body.includes(Buffer.alloc(300 * 1024, 0x41)), 'the bytes read and digested were sent');
  assert.ok(!body.includes(Buffer.alloc(1024, 0x42)), 'not the bytes written afterwards');
});

test('a document that changes while it is sent is cut off with ERR_EBOX_DIGEST_MISMATCH (the peer never gets a complete package)', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const path = file(t, 'growing.pdf', 1024 * 1024);
  let changed = false;
  const error = await rejectsCode(
    publishEboxMessage(ctx, base(path), {
      onProgress: () => {
        if (changed) return;
        changed = true;
        // Same size, other bytes at the end: only the digest tells.
        writeFileSync(path, Buffer.concat([Buffer.alloc(1024 * 1024 - 4, 0x41), Buffer.from('EVIL')]));
      },
    }),
    'ERR_EBOX_DIGEST_MISMATCH',
  );
  assert.equal((error as { details: Record<string, unknown> }).details['origin'], 'client');
  for (const r of peer.received)
    assert.ok(!r.body.toString('latin1').trimEnd().endsWith('--'), 'no closing delimiter');
});
