import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { standaloneXml } from '../../../src/services/call-soap.ts';
import { EBOX_SOAP } from '../../../src/services/ebox/soap-names.ts';
import { publishEboxMessage } from '../../../src/services/ebox/soap-publish.ts';
import { childElements } from '../../../src/xml/dom.ts';
import { NS } from '../../../src/xml/namespaces.ts';
import { parseXml } from '../../../src/xml/parse.ts';
import { requirePeer, runPeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { xmlsec1Verify } from '../../wss/_helpers.ts';
import { EBOX_XSD, INSS, sha256, splitMultipart, startEboxPeer } from './_peer.ts';

/** A small PDF-like document (content is irrelevant to the eBox; bytes of every value). */
function documentFile(
  t: { after: (fn: () => void) => void },
  name = 'notice.pdf',
): { path: string; bytes: Buffer } {
  const bytes = Buffer.concat([
    Buffer.from('%PDF-1.4\n'),
    Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256)),
  ]);
  const path = join(tempDir(t, 'passerelle-ebox-'), name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

function body(xml: string) {
  const doc = parseXml(xml);
  const [b] = childElements(doc.documentElement!, NS.soapenv, 'Body');
  return { doc, body: b!, request: childElements(b!)[0]! };
}

test('publishEboxMessage sends a signed SOAP with Attachments request: multipart/related type text/xml, root text/xml, the document part streamed with its Content-ID and MIME, Content-Length exact, SOAPAction ""', async (t) => {
  const { peer, ctx } = await startEboxPeer(t);
  const doc = documentFile(t);
  const progress: number[] = [];
  const result = await publishEboxMessage(
    ctx,
    {
      recipient: '85.07.30-033.28',
      messageType: 'ANNUAL_NOTICE',
      subject: { lang: 'fr', text: 'Votre avis annuel & <récapitulatif>' },
      document: { path: doc.path },
      ticket: 'T-2026-0001',
      sequence: 3,
    },
    { onProgress: (n) => progress.push(n) },
  );
  assert.equal(peer.received.length, 1);
  const { headers, body: raw } = peer.received[0]!;
  assert.equal(headers['soapaction'], '""');
  assert.equal(Number(headers['content-length']), raw.length);
  const { params, parts } = splitMultipart(String(headers['content-type']), raw);
  assert.match(String(headers['content-type']), /^multipart\/related;/);
  assert.equal(params['type'], 'text/xml');
  assert.equal(parts.length, 2);
  const [root, attachment] = parts as [(typeof parts)[0], (typeof parts)[0]];
  assert.equal(root.headers['content-type'], 'text/xml; charset=UTF-8');
  assert.equal(params['start'], root.headers['content-id']);
  assert.equal(attachment.headers['content-type'], 'application/pdf');
  assert.deepEqual(attachment.body, doc.bytes, 'the document arrives byte for byte');
  assert.equal(
    progress.reduce((a, b) => a + b, 0),
    doc.bytes.length,
  );

  const { request } = body(root.body.toString('utf8'));
  const t_ = (el: typeof request, name: string) => childElements(el, EBOX_SOAP.typesNs, name)[0]!;
  const document = t_(request, 'Document');
  const cid = t_(document, 'Content').textContent!;
  assert.equal(`<${decodeURIComponent(cid.replace(/^cid:/, ''))}>`, attachment.headers['content-id']);
  assert.equal(t_(document, 'Title').textContent, 'Votre avis annuel & <récapitulatif>');
  assert.equal(t_(document, 'DownloadFileName').textContent, 'notice.pdf');
  assert.equal(t_(t_(document, 'Digest'), 'DigestMethod').textContent, 'SHA-256');
  // The Digest inside the signed Body is the SHA-256 of the attachment's bytes as received.
  assert.equal(t_(t_(document, 'Digest'), 'DigestValue').textContent, sha256(attachment.body));
  assert.equal(t_(t_(request, 'RecipientID'), 'INSS').textContent, INSS);
  assert.equal(t_(t_(request, 'MessageID'), 'Sequence').textContent, '3');
  assert.equal(
    childElements(request, EBOX_SOAP.typesNs, 'SenderID').length,
    0,
    'no SenderID: dedicated certificate',
  );

  assert.deepEqual(result, {
    messageId: 'MSG-1',
    transport: 'soap',
    recipient: INSS,
    document: {
      fileName: 'notice.pdf',
      mime: 'application/pdf',
      size: doc.bytes.length,
      digestAlgorithm: 'SHA-256',
      digest: sha256(doc.bytes),
    },
    ticket: 'T-2026-0001',
    sequence: 3,
    sender: { institution: '0123456749', application: 'urn:be:test:app:rsa' },
  });
});

test('the publish request as sent verifies with libxmlsec1 (xmlsec1 --verify): BST, Timestamp and Body signed (ProtectTokens)', async (t) => {
  if (!requirePeer(t, 'xmlsec1')) return;
  const { peer, ctx } = await startEboxPeer(t);
  await publishEboxMessage(ctx, {
    recipient: INSS,
    messageType: 'ANNUAL_NOTICE',
    subject: { lang: 'nl', text: 'Uw jaarlijks bericht' },
    document: { path: documentFile(t).path },
    ticket: 'T-1',
  });
  const { headers, body: raw } = peer.received[0]!;
  const root = splitMultipart(String(headers['content-type']), raw).parts[0]!.body.toString('utf8');
  const dir = tempDir(t);
  const r = xmlsec1Verify(dir, root, ctx.signingCredential().certificate.toString());
  assert.equal(r.status, 0, `xmlsec1 refused the request as sent:\n${r.stderr}`);
  const doc = parseXml(root);
  const ids = new Set(
    [...doc.getElementsByTagNameNS(NS.ds, 'Reference')].map((r) => r.getAttribute('URI')!.slice(1)),
  );
  for (const [ns, local] of [
    [NS.wsse, 'BinarySecurityToken'],
    [NS.wsu, 'Timestamp'],
    [NS.soapenv, 'Body'],
  ] as const) {
    const el = doc.getElementsByTagNameNS(ns, local)[0]!;
    assert.ok(ids.has(el.getAttributeNS(NS.wsu, 'Id')!), `${local} is signed`);
  }
  const tampered = root.replace('Uw jaarlijks bericht', 'Uw jaarlijks bericht!');
  assert.notEqual(xmlsec1Verify(dir, tampered, ctx.signingCredential().certificate.toString()).status, 0);
});

test('publish requests validate against the official EboxMessage XSD (xmllint --schema): minimal, with SenderID and SHA-512, each MIME path', async (t) => {
  if (!requirePeer(t, 'xmllint')) return;
  const { peer, ctx } = await startEboxPeer(t);
  const dir = tempDir(t);
  const doc = documentFile(t, 'rapport.xlsx');
  await publishEboxMessage(ctx, {
    recipient: INSS,
    messageType: 'ANNUAL_NOTICE',
    subject: { lang: 'de', text: 'Ihre Mitteilung' },
    document: { path: doc.path },
    ticket: 'T-1',
  });
  await publishEboxMessage(ctx, {
    recipient: INSS,
    messageType: 'ANNUAL_NOTICE',
    subject: { lang: 'fr', text: 'Avis' },
    document: { path: doc.path, fileName: 'avis.csv', digestAlgorithm: 'SHA-512' },
    ticket: 'T-2',
    sequence: 0,
    senderApplication: 'urn:be:test:app:shared',
    senderInstitution: '0123456749',
  });
  for (const [i, { headers, body: raw }] of peer.received.entries()) {
    const root = splitMultipart(String(headers['content-type']), raw).parts[0]!.body.toString('utf8');
    const { request } = body(root);
    const file = join(dir, `request-${i}.xml`);
    writeFileSync(file, standaloneXml(request));
    const r = runPeer('xmllint', ['--noout', '--nonet', '--schema', EBOX_XSD, file]);
    assert.equal(r.status, 0, `xmllint refused the request:\n${r.stderr}\n${standaloneXml(request)}`);
  }
  const second = body(
    splitMultipart(
      String(peer.received[1]!.headers['content-type']),
      peer.received[1]!.body,
    ).parts[0]!.body.toString(),
  ).request;
  const sender = childElements(second, EBOX_SOAP.typesNs, 'SenderID')[0]!;
  assert.equal(sender.textContent, 'urn:be:test:app:shared0123456749');
  const digest = childElements(
    childElements(second, EBOX_SOAP.typesNs, 'Document')[0]!,
    EBOX_SOAP.typesNs,
    'Digest',
  )[0]!;
  assert.equal(digest.textContent, `SHA-512${createHash('sha512').update(doc.bytes).digest('base64')}`);
  // The teeth: a request the XSD refuses is refused by xmllint.
  const bad = join(dir, 'bad.xml');
  writeFileSync(bad, standaloneXml(second).replace('>ANNUAL_NOTICE<', '>SHORT<'));
  assert.notEqual(runPeer('xmllint', ['--noout', '--nonet', '--schema', EBOX_XSD, bad]).status, 0);
});
