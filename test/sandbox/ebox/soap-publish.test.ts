/**
 * EBoxMessage v1 publishEboxMessage over SOAP with Attachments, driven with undici as the sandbox
 * partner: a publication is stored and answered with its ID in a reply signed by the platform
 * key and valid against the official XSD (xmllint); then every check in its order, each with
 * the platform's answer.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { verifyEnvelope } from '../../../src/wss/verify.ts';
import { childElements } from '../../../src/xml/dom.ts';
import { assertEboxFault, assertValidReply } from './_assert.ts';
import {
  CITIZEN,
  otherSigner,
  PAYMENT,
  postSoap,
  publish,
  publishEnvelope,
  sha,
  sign,
  startEbox,
  swa,
  TAX,
  TYPES_NS,
} from './_ebox.ts';

const s = await startEbox({ after });
const pdf = Buffer.from('%PDF-1.7\n% a payment statement\n%%EOF\n');

/** The ID of a successful publication reply. */
function idOf(reply: { text: string }): string {
  const response = childElements(parseEnvelope(reply.text).body)[0]!;
  return childElements(response, TYPES_NS, 'ID')[0]!.textContent ?? '';
}

test('publishEboxMessage: stored, answered with its ID, reply signed by the platform key and XSD-valid', async (t) => {
  const reply = await publish(s, pdf, { ticket: 'OK-1' });
  assert.equal(reply.status, 200, reply.text.slice(0, 600));
  verifyEnvelope(reply.text, {
    trust: [s.sandbox.pki.platformSigning.certificate],
    clock: s.clock,
    require: ['body', 'timestamp'],
  });
  assert.match(idOf(reply), /^[0-9a-f-]{36}$/);
  assertValidReply(t, reply);
  const stats = s.sandbox.modules['ebox']?.stats?.() ?? {};
  assert.equal(stats['calls.publishEboxMessage'], 1);
});

test('(a) an unsigned or badly signed request → SOA-01001, as the gateway answers it', async (t) => {
  const unsigned = await postSoap(s, swa(publishEnvelope(pdf), pdf));
  assertEboxFault(s, unsigned, 'SystemError', 'SOA-01001', 'ERR_WSS_NO_SECURITY');
  assertValidReply(t, unsigned);
  const signed = sign(s, publishEnvelope(pdf, { ticket: 'TAMPER' }));
  const tampered = await postSoap(s, swa(signed.replace('TAMPER', 'TAMPEX'), pdf));
  assertEboxFault(s, tampered, 'SystemError', 'SOA-01001', 'ERR_WSS_DIGEST_MISMATCH');
  const replayed = sign(s, publishEnvelope(pdf, { ticket: 'REPLAY' }));
  assert.equal((await postSoap(s, swa(replayed, pdf))).status, 200);
  assertEboxFault(s, await postSoap(s, swa(replayed, pdf)), 'SystemError', 'SOA-01001', 'ERR_WSS_REPLAY');
});

test('(a) a Timestamp older than 5 minutes → SOA-01001', async () => {
  const stale = sign(s, publishEnvelope(pdf, { ticket: 'STALE' }));
  s.clock.advance(400_000);
  try {
    assertEboxFault(
      s,
      await postSoap(s, swa(stale, pdf)),
      'SystemError',
      'SOA-01001',
      'ERR_WSS_TIMESTAMP_EXPIRED',
    );
  } finally {
    s.clock.advance(-400_000);
  }
});

test('elements the citizen eBox does not support (Annex, Meta, FreeInformation) → SOA-03007', async () => {
  const annex = await publish(s, pdf, {
    tamper: (doc, r) => {
      const free = doc.createElementNS(TYPES_NS, 't:FreeInformation');
      const text = doc.createElementNS(TYPES_NS, 't:FreeText');
      text.appendChild(doc.createTextNode('not for citizens'));
      free.appendChild(text);
      r.appendChild(free);
    },
  });
  assertEboxFault(s, annex, 'SystemError', 'SOA-03007', 'not-for-citizens:FreeInformation');
});

test('(b) schema violations of the body → SOA-03006 XSD compliance failure', async (t) => {
  const cases: Parameters<typeof publish>[2][] = [
    { messageType: 'SHORT' },
    { messageType: 'X'.repeat(81) },
    { title: 'x'.repeat(401) },
    { fileName: 'f'.repeat(81) },
    { ticket: 'T'.repeat(26) },
    { ticket: '' },
    { ticket: 'SEQ', sequence: 100000 },
    { senderId: { application: 'a', institution: '123' } },
    { recipients: [] },
    { recipients: ['1', '2', '3', '4', '5', '6'].map(() => CITIZEN.active) },
    { recipients: ['8507300332'] },
    { mime: 'image/png' },
    { digest: { method: 'MD5', value: 'AAAA' } },
    { tamper: (doc, r) => r.appendChild(doc.createElementNS(TYPES_NS, 't:Unknown')) },
  ];
  for (const fields of cases) {
    const reply = await publish(s, pdf, fields);
    assertEboxFault(s, reply, 'SystemError', 'SOA-03006', 'schema');
  }
  assertValidReply(t, await publish(s, pdf, { messageType: 'SHORT' }));
});

test('(c) level 1: an institution not registered, or a certificate without the CBE OU → SOA-01002', async () => {
  const stranger = await otherSigner(s, {
    cbe: '0200065765',
    app: 'urn:be:fgov:sandbox:other-institution:tax',
  });
  assertEboxFault(
    s,
    await publish(s, pdf, {}, stranger),
    'SystemError',
    'SOA-01002',
    'institution-not-allowed',
  );
  const noOu = await otherSigner(s, [
    ['C', 'BE'],
    ['O', 'Federal Government'],
    ['OU', 'Sandbox Partner'],
    ['CN', 'urn:be:fgov:ehealth:sandbox:partner'],
  ]);
  assertEboxFault(s, await publish(s, pdf, {}, noOu), 'SystemError', 'SOA-01002', 'ERR_EBOX_CERT_NO_CBE');
});

test('(d) SenderID of another institution, or an application the institution does not hold → business error 20', async (t) => {
  const partner = s.sandbox.pki.partner;
  const other = await publish(s, pdf, {
    senderId: { application: partner.application, institution: '0200065765' },
  });
  const message = assertEboxFault(s, other, 'BusinessError', '20', 'ERR_EBOX_SENDER_MISMATCH');
  assert.match(
    message,
    /^UAM denied: application urn:be:fgov:ehealth:sandbox:partner institution 0123456749 is not mandatary for application .+ institution 0200065765$/,
  );
  assertValidReply(t, other);
  const app = await publish(s, pdf, {
    senderId: { application: 'urn:be:fgov:unknown', institution: partner.cbe },
  });
  assertEboxFault(s, app, 'BusinessError', '20', 'ERR_EBOX_SENDER_MISMATCH');
  const own = await publish(s, pdf, {
    ticket: 'OWN',
    senderId: { application: partner.application, institution: partner.cbe },
  });
  assert.equal(own.status, 200, own.text.slice(0, 400));
});

test('(e) level 2: a message type the sender may not publish → business error 40', async (t) => {
  const reply = await publish(s, pdf, { messageType: TAX });
  const message = assertEboxFault(s, reply, 'BusinessError', '40', 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED');
  assert.equal(
    message,
    `No authorization for message type ${TAX} application urn:be:fgov:ehealth:sandbox:partner institution 0123456749`,
  );
  assertValidReply(t, reply);
});

test('(f) SHA-1 → 15; a digest that does not match the document → 10; SHA-512 checked too; no part → SOA-03001', async () => {
  assertEboxFault(
    s,
    await publish(s, pdf, { digest: { method: 'SHA-1', value: sha('sha1', pdf) } }),
    'BusinessError',
    '15',
    'ERR_EBOX_DIGEST_ALGORITHM',
  );
  assertEboxFault(
    s,
    await publish(s, pdf, { digest: { method: 'SHA-256', value: sha('sha256', 'other') } }),
    'BusinessError',
    '10',
    'ERR_EBOX_DIGEST_MISMATCH',
  );
  assertEboxFault(
    s,
    await publish(s, pdf, { digest: { method: 'SHA-512', value: sha('sha512', 'other') } }),
    'BusinessError',
    '10',
    'ERR_EBOX_DIGEST_MISMATCH',
  );
  const ok512 = await publish(s, pdf, {
    ticket: 'SHA512',
    digest: { method: 'SHA-512', value: sha('sha512', pdf) },
  });
  assert.equal(ok512.status, 200, ok512.text.slice(0, 400));
  const elsewhere = sign(s, publishEnvelope(pdf, { cid: 'missing@passerelle' }));
  assertEboxFault(
    s,
    await postSoap(s, swa(elsewhere, pdf, 'doc1@passerelle')),
    'SystemError',
    'SOA-03001',
    'missing-attachment',
  );
  const plain = await postSoap(s, sign(s, publishEnvelope(pdf)), { type: 'text/xml; charset=utf-8' });
  assertEboxFault(s, plain, 'SystemError', 'SOA-03001', 'missing-attachment');
});

test('(g) recipients: bad INSS check digits, unknown citizen, citizen without an eBox → business error 90', async (t) => {
  const bad = await publish(s, pdf, { recipients: [CITIZEN.badChecksum] });
  assertEboxFault(s, bad, 'BusinessError', '90', 'ERR_IDS_INSS_INVALID');
  assertValidReply(t, bad);
  assertEboxFault(
    s,
    await publish(s, pdf, { recipients: [CITIZEN.unknown] }),
    'BusinessError',
    '90',
    'unknown-citizen',
  );
  assertEboxFault(
    s,
    await publish(s, pdf, { recipients: [CITIZEN.noEbox] }),
    'BusinessError',
    '90',
    'no-ebox',
  );
  for (const inss of [CITIZEN.born2000, CITIZEN.bis, CITIZEN.neverOpened]) {
    const ok = await publish(s, pdf, { ticket: `R-${inss}`, recipients: [inss] });
    assert.equal(ok.status, 200, ok.text.slice(0, 400));
  }
});

test('the checks come in the documented order: signature before schema before level 1 before 20 before 40', async () => {
  const all = { messageType: 'SHORT', senderId: { application: 'x', institution: '0200065765' } };
  assertEboxFault(s, await postSoap(s, swa(publishEnvelope(pdf, all), pdf)), 'SystemError', 'SOA-01001');
  assertEboxFault(s, await publish(s, pdf, all), 'SystemError', 'SOA-03006');
  const stranger = await otherSigner(s, { cbe: '0200065765', app: 'urn:x' });
  assertEboxFault(
    s,
    await publish(s, pdf, { senderId: all.senderId, messageType: TAX }, stranger),
    'SystemError',
    'SOA-01002',
  );
  assertEboxFault(
    s,
    await publish(s, pdf, { senderId: all.senderId, messageType: TAX }),
    'BusinessError',
    '20',
  );
  assertEboxFault(
    s,
    await publish(s, pdf, { messageType: TAX, digest: { method: 'SHA-1', value: 'AAAA' } }),
    'BusinessError',
    '40',
  );
  assertEboxFault(
    s,
    await publish(s, pdf, {
      recipients: [CITIZEN.unknown],
      digest: { method: 'SHA-256', value: sha('sha256', 'x') },
    }),
    'BusinessError',
    '10',
  );
});

void PAYMENT;
