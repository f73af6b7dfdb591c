import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { isPasserelleError } from '../../src/errors.ts';
import { buildEnvelope } from '../../src/soap/build-envelope.ts';
import { buildFault } from '../../src/soap/build-fault.ts';
import { soapCall } from '../../src/soap/soap-call.ts';
import { createTransport } from '../../src/transport/create-transport.ts';
import { testPki } from '../_support/credentials.ts';
import { seededRandom } from '../_support/seeded.ts';
import { startTlsServer } from '../transport/_tls-server.ts';
import { soapVector } from './_vectors.ts';

const ACTION = 'urn:be:fgov:ehealth:platformintegrationconsumertest:v1:checkConnection';
const ok = buildEnvelope({
  body: (doc) => {
    const r = doc.createElementNS('urn:x', 'x:Response');
    r.appendChild(doc.createTextNode('pong'));
    return r;
  },
});
const request = buildEnvelope({ body: (doc) => doc.createElementNS('urn:x', 'x:Request') });
type Reply = (res: ServerResponse) => void;
const xml =
  (status: number, body: string): Reply =>
  (res) =>
    res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
const plain =
  (status: number, body = 'nope'): Reply =>
  (res) =>
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);

async function setup(t: Parameters<typeof startTlsServer>[0], replies: Reply[]) {
  const pki = await testPki();
  let n = 0;
  const server = await startTlsServer(t, {
    cert: pki.server,
    clientCa: pki.ca,
    handler: (_req, res) => {
      const reply = replies[Math.min(n, replies.length - 1)]!;
      n += 1;
      reply(res);
    },
  });
  const transport = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  const sleeps: number[] = [];
  const retry = {
    attempts: 3,
    baseDelayMs: 100,
    random: seededRandom(7),
    sleep: async (ms: number) => void sleeps.push(ms),
  };
  return { server, transport, sleeps, retry };
}

test('a SOAP 1.1 call sends text/xml and a quoted SOAPAction, and parses the reply', async (t) => {
  const { server, transport } = await setup(t, [xml(200, ok)]);
  const parsed = await soapCall(transport, server.url, { action: ACTION, envelope: request });
  assert.equal(parsed.body.firstChild?.textContent, 'pong');
  const seen = server.requests[0]!;
  assert.equal(seen.headers['content-type'], 'text/xml; charset=utf-8');
  assert.equal(seen.headers['soapaction'], `"${ACTION}"`);
  assert.equal(seen.body.toString(), request);
});

test('a 500 with the SOA-01001 fault throws ERR_SOAP_FAULT and is not retried', async (t) => {
  const { server, transport, retry, sleeps } = await setup(t, [xml(500, soapVector('soa-01001-fault.xml'))]);
  await assert.rejects(
    soapCall(transport, server.url, { action: ACTION, envelope: request, retry }),
    (e: unknown) => {
      assert.ok(isPasserelleError(e, 'ERR_SOAP_FAULT'));
      assert.equal(e.details['soaCode'], 'SOA-01001');
      assert.equal(e.details['httpStatus'], 500);
      return true;
    },
  );
  assert.equal(server.requests.length, 1);
  assert.deepEqual(sleeps, []);
});

test('503 then 200 is retried with backoff, re-building the envelope per attempt', async (t) => {
  const { server, transport, retry, sleeps } = await setup(t, [plain(503), xml(200, ok)]);
  const attempts: number[] = [];
  const parsed = await soapCall(transport, server.url, {
    action: ACTION,
    envelope: (attempt) => {
      attempts.push(attempt);
      return request;
    },
    retry,
  });
  assert.equal(parsed.body.firstChild?.textContent, 'pong');
  assert.deepEqual(attempts, [1, 2]);
  assert.equal(server.requests.length, 2);
  assert.deepEqual(sleeps, [Math.floor(100 * seededRandom(7)())]);
});

test('a 500 SOAP fault SOA-02002 is retried, then succeeds', async (t) => {
  const fault = buildFault({
    faultcode: 'Server',
    soa: { code: 'SOA-02002', origin: 'Provider', environment: 'Test' },
  });
  const { server, transport, retry, sleeps } = await setup(t, [
    xml(500, fault),
    xml(500, fault),
    xml(200, ok),
  ]);
  const parsed = await soapCall(transport, server.url, { action: ACTION, envelope: request, retry });
  assert.equal(parsed.fault, undefined);
  assert.equal(server.requests.length, 3);
  assert.equal(sleeps.length, 2);
});

test('SOA-02001 is not retried', async (t) => {
  const fault = buildFault({
    faultcode: 'Server',
    soa: { code: 'SOA-02001', origin: 'Provider', environment: 'Test' },
  });
  const { server, transport, retry } = await setup(t, [xml(500, fault), xml(200, ok)]);
  await assert.rejects(
    soapCall(transport, server.url, { action: ACTION, envelope: request, retry }),
    (e: unknown) => isPasserelleError(e, 'ERR_SOAP_FAULT'),
  );
  assert.equal(server.requests.length, 1);
});

test('400 is ERR_TRANSPORT_HTTP_STATUS and not retried; 503 gives up after the last attempt', async (t) => {
  const { server, transport, retry } = await setup(t, [plain(400), plain(503)]);
  await assert.rejects(
    soapCall(transport, server.url, { action: ACTION, envelope: request, retry }),
    (e: unknown) => {
      assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_HTTP_STATUS'));
      assert.equal(e.details['status'], 400);
      return true;
    },
  );
  assert.equal(server.requests.length, 1);
  await assert.rejects(
    soapCall(transport, server.url, { action: ACTION, envelope: request, retry }),
    (e: unknown) => isPasserelleError(e, 'ERR_TRANSPORT_HTTP_STATUS'),
  );
  assert.equal(server.requests.length, 4);
});

test('without retry options a 503 is tried once', async (t) => {
  const { server, transport } = await setup(t, [plain(503), xml(200, ok)]);
  await assert.rejects(soapCall(transport, server.url, { action: ACTION, envelope: request }), (e: unknown) =>
    isPasserelleError(e, 'ERR_TRANSPORT_HTTP_STATUS'),
  );
  assert.equal(server.requests.length, 1);
});

test('hostile or odd replies: DOCTYPE, non-XML 200, non-fault 500, fault in a 200', async (t) => {
  const { server, transport } = await setup(t, [
    xml(200, soapVector('hostile-doctype.xml')),
    plain(200, '<html/>'),
    xml(500, ok),
    plain(500),
    xml(200, soapVector('cbss-fault.xml')),
  ]);
  const call = () => soapCall(transport, server.url, { action: ACTION, envelope: request });
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_XML_DOCTYPE'));
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_SOAP_UNEXPECTED_RESPONSE'));
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_TRANSPORT_HTTP_STATUS'));
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_TRANSPORT_HTTP_STATUS'));
  await assert.rejects(
    call(),
    (e: unknown) => isPasserelleError(e, 'ERR_SOAP_FAULT') && e.details['reasonCode'] === 'MSG00011',
  );
});

test('a reply whose bytes are not UTF-8 is ERR_XML_ENCODING (200 or 500); another declared encoding ERR_XML_UNSUPPORTED_ENCODING', async (t) => {
  const bytes = Buffer.from(ok.replace('pong', 'p\ufffdng'), 'utf8');
  const at = bytes.indexOf(Buffer.from([0xef, 0xbf, 0xbd]));
  const bad = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at + 3)]);
  const raw =
    (status: number, body: Buffer): Reply =>
    (res) =>
      res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' }).end(body);
  const { server, transport } = await setup(t, [
    raw(200, bad),
    raw(500, bad),
    xml(200, `<?xml version="1.0" encoding="ISO-8859-1"?>${ok}`),
  ]);
  const call = () => soapCall(transport, server.url, { action: ACTION, envelope: request });
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_XML_ENCODING'));
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_XML_ENCODING'));
  await assert.rejects(call(), (e: unknown) => isPasserelleError(e, 'ERR_XML_UNSUPPORTED_ENCODING'));
});
