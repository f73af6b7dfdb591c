/**
 * Hostile input against both eBox listeners, with small limits: truncated or malformed
 * multipart, a missing root, huge headers, too many parts, oversize bodies (declared or
 * streamed), a client that goes away mid-body. Each gets a bounded answer with its code, and the
 * listeners keep serving.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTls, untilClosed } from '../_raw-tls.ts';
import { assertEboxFault } from './_assert.ts';
import {
  BOUNDARY,
  postSoap,
  publish,
  publishEnvelope,
  SWA_TAIL,
  SWA_TYPE,
  sign,
  startEbox,
  swa,
  swaHead,
} from './_ebox.ts';
import { FORM_BOUNDARY, form, message, postRest, publicationScope, tokenFor } from './_rest.ts';

const s = await startEbox(
  { after },
  {
    maxRequestBytes: 256 * 1024,
    maxRootBytes: 32 * 1024,
    maxParts: 4,
    maxHeaderBytes: 8 * 1024,
    bodyIdleTimeoutMs: 2_000,
  },
);
const pdf = Buffer.from('%PDF-1.7 hostile');
let bearer: Record<string, string> = {};
before(async () => {
  bearer = { authorization: `Bearer ${await tokenFor(s, publicationScope)}` };
});

async function* chunks(...parts: Buffer[]): AsyncIterable<Buffer> {
  for (const p of parts) yield p;
}

let alive = 0;
const stillServes = async () => {
  alive += 1;
  const ok = await publish(s, pdf, { ticket: `ALIVE-${alive}` });
  assert.equal(ok.status, 200, ok.text.slice(0, 300));
};

test('SOAP: truncated multipart (no close delimiter, cut inside a part) → SOA-03001, then still serving', async () => {
  const xml = sign(s, publishEnvelope(pdf));
  assertEboxFault(
    s,
    await postSoap(s, chunks(swaHead(xml), pdf)),
    'SystemError',
    'SOA-03001',
    'multipart-truncated',
  );
  assertEboxFault(
    s,
    await postSoap(s, chunks(swaHead(xml).subarray(0, 200))),
    'SystemError',
    'SOA-03001',
    'multipart-truncated',
  );
  await stillServes();
});

test('SOAP: no root part, a root that is not text/xml, a wrong start, no boundary → SOA-03001 / SOA-03002', async () => {
  assertEboxFault(
    s,
    await postSoap(s, Buffer.from(`--${BOUNDARY}--\r\n`)),
    'SystemError',
    'SOA-03001',
    'multipart-empty',
  );
  const notXml = Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: application/json\r\nContent-ID: <root.message@passerelle>\r\n\r\n{}\r\n--${BOUNDARY}--\r\n`,
  );
  assertEboxFault(s, await postSoap(s, notXml), 'SystemError', 'SOA-03002', 'root-content-type');
  const xml = sign(s, publishEnvelope(pdf));
  const otherStart = SWA_TYPE.replace('root.message@passerelle', 'elsewhere@passerelle');
  assertEboxFault(
    s,
    await postSoap(s, swa(xml, pdf), { type: otherStart }),
    'SystemError',
    'SOA-03001',
    'multipart-start',
  );
  assertEboxFault(
    s,
    await postSoap(s, swa(xml, pdf), { type: 'multipart/related; type="text/xml"' }),
    'SystemError',
    'SOA-03001',
    'multipart-boundary',
  );
  assertEboxFault(
    s,
    await postSoap(s, swa(xml, pdf), { type: 'application/json' }),
    'SystemError',
    'SOA-03002',
    'content-type',
  );
  await stillServes();
});

test('SOAP: a huge part header, too many parts, a root over its limit → SOA-03001 (413 for the root)', async () => {
  const xml = sign(s, publishEnvelope(pdf));
  const bigHeader = Buffer.from(
    `--${BOUNDARY}\r\nContent-Type: text/xml\r\nX-Pad: ${'a'.repeat(9000)}\r\n\r\n<x/>\r\n--${BOUNDARY}--\r\n`,
  );
  assertEboxFault(s, await postSoap(s, bigHeader), 'SystemError', 'SOA-03001', 'multipart-limit');
  const extra = Array.from({ length: 5 }, (_, i) =>
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-ID: <x${i}>\r\n\r\nx`),
  );
  const many = Buffer.concat([swaHead(xml), pdf, ...extra, SWA_TAIL]);
  assertEboxFault(s, await postSoap(s, many), 'SystemError', 'SOA-03001', 'multipart-limit');
  const huge = sign(
    s,
    publishEnvelope(pdf, {
      title: 'x'.repeat(400),
      tamper: (doc, r) => r.appendChild(doc.createComment('p'.repeat(40 * 1024))),
    }),
  );
  assertEboxFault(s, await postSoap(s, swa(huge, pdf)), 'SystemError', 'SOA-03001', 'root-too-large', 413);
  await stillServes();
});

test('SOAP: oversize, declared (413 before reading) or streamed (413 when crossed), and huge HTTP headers → bounded faults', async () => {
  const xml = sign(s, publishEnvelope(pdf));
  const big = Buffer.alloc(300 * 1024, 0x41);
  assertEboxFault(s, await postSoap(s, swa(xml, big)), 'SystemError', 'SOA-03001', 'too-large', 413);
  assertEboxFault(
    s,
    await postSoap(s, chunks(swaHead(xml), big, SWA_TAIL)),
    'SystemError',
    'SOA-03001',
    'multipart-too-large',
    413,
  );
  const socket = await openTls(s.soapUrl, {
    ca: s.sandbox.pki.ca.certPem,
    client: s.sandbox.pki.partner.tls,
  });
  socket.write(`POST /EBoxMessage/v1 HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(64 * 1024)}\r\n\r\n`);
  const raw = await untilClosed(socket);
  assert.equal(raw.status, 400);
  assert.match(raw.body, /<err:Code>SOA-03001<\/err:Code>/);
  await stillServes();
});

test('SOAP: a client that goes away in the middle of its document leaves no file behind, and the listener serves on', async () => {
  const xml = sign(s, publishEnvelope(pdf));
  const head = swaHead(xml);
  const socket = await openTls(s.soapUrl, {
    ca: s.sandbox.pki.ca.certPem,
    client: s.sandbox.pki.partner.tls,
  });
  socket.write(
    `POST /EBoxMessage/v1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${SWA_TYPE}\r\nContent-Length: ${head.length + 100_000}\r\n\r\n`,
  );
  socket.write(head);
  socket.write(Buffer.alloc(10_000, 0x42));
  await new Promise((r) => setImmediate(r));
  socket.destroy();
  await stillServes();
  const stats = () => s.sandbox.modules['ebox']?.stats?.() ?? {};
  // Polls (bounded) for the sandbox to have handled the abort: no timer is raced.
  for (let i = 0; i < 500 && (stats()['rejected.aborted'] ?? 0) < 1; i++)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal(stats()['rejected.aborted'], 1);
  assert.deepEqual(
    readdirSync(join(s.stateDir, 'ebox', 'documents')).filter((f) => f.startsWith('.incoming')),
    [],
  );
});

test('SOAP: a client that stalls mid-body gets 408 SOA-03001 after the idle bound, and the connection closes', async () => {
  const xml = sign(s, publishEnvelope(pdf));
  const head = swaHead(xml);
  const socket = await openTls(s.soapUrl, {
    ca: s.sandbox.pki.ca.certPem,
    client: s.sandbox.pki.partner.tls,
  });
  socket.write(
    `POST /EBoxMessage/v1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${SWA_TYPE}\r\nContent-Length: ${head.length + 1000}\r\n\r\n`,
  );
  socket.write(head);
  const raw = await untilClosed(socket);
  assert.equal(raw.status, 408);
  assert.match(raw.body, /<err:Code>SOA-03001<\/err:Code>/);
  await stillServes();
});

test('REST: truncated form, oversize body, huge part header → 400 / 413 StatusMessage, then still serving', async () => {
  const body = form(message());
  const truncated = await postRest(s, chunks(body.subarray(0, body.length - 20)), bearer);
  assert.equal(truncated.status, 400);
  assert.equal(truncated.json()['code'], 'INVALID_INPUT');
  const big = form(message(), { upfile1: Buffer.alloc(300 * 1024, 0x43) });
  const declared = await postRest(s, big, bearer);
  assert.equal(declared.status, 413);
  assert.equal(declared.json()['code'], 'PAYLOAD_TOO_LARGE');
  const streamed = await postRest(s, chunks(big), bearer);
  assert.equal(streamed.status, 413);
  const header = Buffer.from(
    `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="messageToPublish"\r\nX-Pad: ${'c'.repeat(9000)}\r\n\r\n{}\r\n--${FORM_BOUNDARY}--\r\n`,
  );
  const padded = await postRest(s, header, bearer);
  assert.equal(padded.status, 400);
  assert.equal(padded.json()['code'], 'INVALID_INPUT');
  const ok = await postRest(s, form(message()), bearer);
  assert.equal(ok.status, 201, ok.text);
});
