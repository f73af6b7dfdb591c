/**
 * Idempotency of MessageID{Ticket, Sequence}, the citizen reading a message (inbox API),
 * getMessageStatus, hasAnEbox and healthCheck; every reply valid against the official XSD.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { childElements } from '../../../src/xml/dom.ts';
import type { Document } from '../../../src/xml/node.ts';
import { assertEboxFault, assertValidReply } from './_assert.ts';
import {
  CITIZEN,
  EBOX_NS,
  envelopeOf,
  MON_NS,
  postSoap,
  publish,
  sign,
  startEbox,
  TYPES_NS,
} from './_ebox.ts';
import { consoleGet } from './_inbox.ts';

const s = await startEbox({ after });
const XML = { type: 'text/xml; charset=utf-8' };

const text = (reply: { text: string }, name: string): string[] => {
  const out: string[] = [];
  const walk = (el: ReturnType<typeof childElements>[number]) => {
    if (el.localName === name) out.push(el.textContent ?? '');
    for (const c of childElements(el)) walk(c);
  };
  for (const c of childElements(parseEnvelope(reply.text).body)) walk(c);
  return out;
};

function typed(doc: Document, parent: ReturnType<Document['createElementNS']>, name: string, value?: string) {
  const e = doc.createElementNS(TYPES_NS, `t:${name}`);
  if (value !== undefined) e.appendChild(doc.createTextNode(value));
  parent.appendChild(e);
  return e;
}

function statusRequest(items: { inss: string; ticket: string; sequence?: number }[]): string {
  return envelopeOf((doc) => {
    const r = doc.createElementNS(EBOX_NS, 'v1:GetMessageStatusRequest');
    r.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:t', TYPES_NS);
    typed(doc, r, 'EboxType', 'CITIZEN');
    for (const i of items) {
      const m = typed(doc, r, 'Message');
      typed(doc, typed(doc, m, 'EboxID'), 'INSS', i.inss);
      const id = typed(doc, m, 'MessageID');
      typed(doc, id, 'Ticket', i.ticket);
      if (i.sequence !== undefined) typed(doc, id, 'Sequence', String(i.sequence));
    }
    return r;
  });
}

const inbox = async (inss: string) =>
  (await consoleGet(s, `/api/v1/ebox/citizens/${inss}/messages`)).json()['messages'] as Record<
    string,
    unknown
  >[];

test('same ticket and sequence from the same sender replaces the unread message: same ID, one message, new document', async (t) => {
  const first = await publish(s, Buffer.from('version 1'), {
    ticket: 'IDEM',
    sequence: 1,
    recipients: [CITIZEN.bis],
  });
  const second = await publish(s, Buffer.from('version 2, longer'), {
    ticket: 'IDEM',
    sequence: 1,
    title: 'Corrected',
    recipients: [CITIZEN.bis],
  });
  assert.equal(second.status, 200, second.text.slice(0, 400));
  assert.deepEqual(text(second, 'ID'), text(first, 'ID'));
  const other = await publish(s, Buffer.from('sequence 2'), {
    ticket: 'IDEM',
    sequence: 2,
    recipients: [CITIZEN.bis],
  });
  assert.notDeepEqual(text(other, 'ID'), text(first, 'ID'));
  const messages = await inbox(CITIZEN.bis);
  const replaced = messages.filter((m) => m['id'] === text(first, 'ID')[0]);
  assert.equal(replaced.length, 1);
  assert.equal(replaced[0]!['subject'], 'Corrected');
  assert.equal(replaced[0]!['versions'], 2);
  const detail = (
    await consoleGet(s, `/api/v1/ebox/citizens/${CITIZEN.bis}/messages/${text(first, 'ID')[0]}`)
  ).json();
  const docs = detail['documents'] as Record<string, unknown>[];
  assert.equal(docs.length, 1);
  assert.equal(docs[0]!['size'], 'version 2, longer'.length);
  const status = await postSoap(
    s,
    sign(
      s,
      statusRequest([
        { inss: CITIZEN.bis, ticket: 'IDEM', sequence: 1 },
        { inss: CITIZEN.bis, ticket: 'IDEM' },
        { inss: CITIZEN.bis, ticket: 'NOPE' },
      ]),
    ),
    XML,
  );
  assert.equal(status.status, 200, status.text.slice(0, 400));
  assert.deepEqual(text(status, 'HasBeenConsulted'), ['false']);
  assert.deepEqual(text(status, 'ErrorCode'), ['MULTIPLE_RESULTS_SPECIFY_SEQUENCE', 'NOT_FOUND']);
  assertValidReply(t, status);
});

test('once the citizen read it (document fetched): status read, HasBeenConsulted true, a replacement → business error 620', async (t) => {
  const pdf = Buffer.from('%PDF-1.7 read me');
  const reply = await publish(s, pdf, { ticket: 'READ', sequence: 7 });
  const id = text(reply, 'ID')[0]!;
  const path = `/api/v1/ebox/citizens/${CITIZEN.active}/messages/${id}`;
  const before = (await consoleGet(s, path)).json();
  assert.equal(before['status'], 'published');
  const doc = (before['documents'] as Record<string, string>[])[0]!;
  assert.equal(doc['mime'], 'application/pdf');
  assert.equal(
    doc['sha256'],
    '' + (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex'),
  );
  const head = await consoleGet(s, doc['href']!, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal((await consoleGet(s, path)).json()['status'], 'published', 'HEAD does not read');
  const fetched = await consoleGet(s, doc['href']!);
  assert.equal(fetched.status, 200);
  assert.deepEqual(fetched.body, pdf);
  assert.equal(fetched.type, 'application/pdf');
  assert.equal(fetched.headers['content-security-policy'], "default-src 'none'; sandbox");
  assert.match(String(fetched.headers['content-disposition']), /^attachment; filename="statement\.pdf"$/);
  const afterRead = (await consoleGet(s, path)).json();
  assert.equal(afterRead['status'], 'read');
  assert.equal(afterRead['readAt'], '2026-06-15T10:00:00.000Z');
  const status = await postSoap(
    s,
    sign(s, statusRequest([{ inss: CITIZEN.active, ticket: 'READ', sequence: 7 }])),
    XML,
  );
  assert.deepEqual(text(status, 'HasBeenConsulted'), ['true']);
  const again = await publish(s, pdf, { ticket: 'READ', sequence: 7 });
  const message = assertEboxFault(s, again, 'BusinessError', '620', 'ERR_EBOX_DUPLICATE');
  assert.match(message, /already read/);
  assertValidReply(t, again);
});

test('hasAnEbox: true with the last connection for an active citizen, true without a date when never opened, false otherwise', async (t) => {
  const request = envelopeOf((doc) => {
    const r = doc.createElementNS(EBOX_NS, 'v1:HasAnEboxRequest');
    r.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:t', TYPES_NS);
    typed(doc, r, 'EboxType', 'CITIZEN');
    for (const inss of [CITIZEN.born2000, CITIZEN.neverOpened, CITIZEN.noEbox, CITIZEN.unknown])
      typed(doc, typed(doc, r, 'EboxID'), 'INSS', inss);
    return r;
  });
  const reply = await postSoap(s, sign(s, request), XML);
  assert.equal(reply.status, 200, reply.text.slice(0, 400));
  assert.deepEqual(text(reply, 'Exists'), ['true', 'true', 'false', 'false']);
  assert.deepEqual(text(reply, 'LastConnectionDate'), ['2026-06-01']);
  assertValidReply(t, reply);
  const unsigned = await postSoap(s, request, XML);
  assertEboxFault(s, unsigned, 'SystemError', 'SOA-01001', 'ERR_WSS_NO_SECURITY');
});

test('healthCheck PING / DEFAULT / DEEP per monitoring-v1.xsd, with its own SOAPAction; a wrong SOAPAction → SOA-03005', async (t) => {
  const action = '"http://socialsecurity.be/eboxmessage/v1/healthCheck"';
  for (const type of ['PING', 'DEFAULT', 'DEEP']) {
    const request = envelopeOf((doc) => {
      const r = doc.createElementNS(MON_NS, 'mon:HealthCheckRequest');
      r.setAttribute('type', type);
      return r;
    });
    const reply = await postSoap(s, sign(s, request), { ...XML, action });
    assert.equal(reply.status, 200, reply.text.slice(0, 400));
    assert.deepEqual(text(reply, 'Level').slice(0, 1), ['OK']);
    assert.equal(text(reply, 'TimeInMillis').length, type === 'PING' ? 0 : 1);
    assertValidReply(t, reply);
  }
  const request = envelopeOf((doc) => doc.createElementNS(MON_NS, 'mon:HealthCheckRequest'));
  assertEboxFault(
    s,
    await postSoap(s, sign(s, request), { ...XML, action: '"urn:other"' }),
    'SystemError',
    'SOA-03005',
    'soap-action',
  );
});

test('inbox API: citizens listed with their kind, unknown citizen or message → 404 problem+json', async () => {
  const citizens = (await consoleGet(s, '/api/v1/ebox/citizens')).json()['citizens'] as Record<
    string,
    unknown
  >[];
  assert.deepEqual(
    citizens.map((c) => [c['inss'], c['ebox']]),
    [
      [CITIZEN.active, 'active'],
      [CITIZEN.born2000, 'active'],
      [CITIZEN.bis, 'active'],
      [CITIZEN.neverOpened, 'never-opened'],
      [CITIZEN.noEbox, 'none'],
    ],
  );
  const unknown = await consoleGet(s, `/api/v1/ebox/citizens/${CITIZEN.unknown}/messages`);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.type, 'application/problem+json');
  const noMessage = await consoleGet(
    s,
    `/api/v1/ebox/citizens/${CITIZEN.active}/messages/00000000-0000-4000-8000-000000000000`,
  );
  assert.equal(noMessage.status, 404);
  assert.equal((await consoleGet(s, '/api/v1/nomodule/x')).status, 404);
});
