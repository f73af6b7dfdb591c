/**
 * The SOAP listener under slow and oversized requests (issue 17): a stalled or dripping body is
 * answered SOA-03001 after the (small, per-instance) body timeouts instead of an empty 408 a
 * minute later; stalled headers likewise; a declared body over the limit gets the 413 fault even
 * by a client that writes everything before reading. Each time the log has the reason and the
 * gateway still serves. No test sleeps: each waits for the server to close the connection.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FrozenClock } from '../../../src/clock.ts';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { signEnvelope } from '../../../src/wss/sign.ts';
import { TEST_NOW } from '../../_support/credentials.ts';
import { startSoaSandbox } from '../../services/_sandbox.ts';
import { rawPost } from '../_raw.ts';
import { drip, openTls, postHead, type RawExchange, untilClosed, writeThenRead } from '../_raw-tls.ts';
import { accessControlEnvelope } from './_hostile.ts';

const { sandbox, log } = await startSoaSandbox(
  { after },
  // Idle 1 s against a drip every 40 ms: a margin no event-loop stall of this shared process eats.
  { maxRequestBytes: 64 * 1024, bodyIdleTimeoutMs: 1000, requestTimeoutMs: 2500, headersTimeoutMs: 1000 },
);
const url = `${sandbox.endpoints['ehealth.soa']}/PlatformIntegrationConsumerTest/v1`;
const ca = sandbox.pki.ca.certPem;
const client = sandbox.pki.partner.tls;
/** The listener's count of connections refused for `reason`. */
const rejected = (reason: string): number => sandbox.modules['soa']?.stats?.()[`rejected.${reason}`] ?? 0;
const soapHeaders = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };

/** The reply is the platform fault `soaCode` with HTTP `status`, logged with `reason`. */
function assertRawFault(reply: RawExchange, status: number, soaCode: string, reason: string): void {
  assert.equal(reply.status, status, `${reply.error ?? ''} ${reply.headers}`);
  const fault = parseEnvelope(reply.body).fault;
  assert.equal(fault?.soa?.code, soaCode);
  assert.equal(fault?.faultcode, 'soapenv:Client');
  const entry = log.entries.find((e) => e.fields['faultId'] === fault?.soa?.id);
  assert.ok(entry, `a log entry for fault ${fault?.soa?.id}`);
  assert.equal(entry.fields['reason'], reason);
  assert.equal(entry.fields['soaCode'], soaCode);
}

let n = 0;
async function stillServes(): Promise<void> {
  const signed = signEnvelope(accessControlEnvelope(`after ${n++}`), {
    credential: sandbox.pki.partner.signing,
    clock: new FrozenClock(TEST_NOW),
  });
  const reply = await rawPost(url, signed, { ca, client });
  assert.equal(reply.status, 200, reply.text.slice(0, 300));
}

test('a stalled body: HTTP 408 with SOA-03001 after the body-idle timeout (reason timeout-body-idle)', async () => {
  const before = rejected('timeout-body-idle');
  const socket = await openTls(url, { ca, client });
  socket.write(postHead(url, { ...soapHeaders, 'content-length': 1000 }));
  socket.write('<soapenv:Envelope');
  assertRawFault(await untilClosed(socket), 408, 'SOA-03001', 'timeout-body-idle');
  assert.equal(rejected('timeout-body-idle'), before + 1);
  await stillServes();
});

test('a slow drip (a byte well within the idle timeout, forever): HTTP 408 with SOA-03001 at the total bound', async () => {
  const socket = await openTls(url, { ca, client });
  socket.write(postHead(url, { ...soapHeaders, 'content-length': 10_000 }));
  drip(socket);
  const reply = await untilClosed(socket);
  assertRawFault(reply, 408, 'SOA-03001', 'timeout-total');
  const entry = log.entries.find((e) => e.fields['reason'] === 'timeout-total');
  assert.equal(entry?.level, 'warn', 'a refusal, not an internal error');
  assert.ok(!log.entries.some((e) => e.fields['reason'] === 'internal'));
  await stillServes();
});

test('stalled headers: HTTP 408 with SOA-03001 after the headers timeout, logged headers-timeout', async () => {
  const before = log.entries.length;
  const counted = rejected('headers-timeout');
  const socket = await openTls(url, { ca, client });
  socket.write(`POST ${new URL(url).pathname} HTTP/1.1\r\nhost: x\r\n`);
  const reply = await untilClosed(socket);
  assert.equal(reply.status, 408);
  assert.equal(parseEnvelope(reply.body).fault?.soa?.code, 'SOA-03001');
  assert.ok(log.entries.slice(before).some((e) => e.fields['reason'] === 'headers-timeout'));
  assert.equal(rejected('headers-timeout'), counted + 1);
  await stillServes();
});

test('a declared body of 8 MiB over the 64 KiB limit, sent whole before reading (like python http.client): the 413 fault is read, no broken pipe', async () => {
  for (let i = 0; i < 3; i++) {
    const reply = await writeThenRead(url, { ca, client, headers: soapHeaders, bodyBytes: 8 * 1024 * 1024 });
    assert.equal(reply.error, undefined, `the client saw ${reply.error}`);
    assertRawFault(reply, 413, 'SOA-03001', 'too-large');
    assert.match(reply.headers, /^connection: close$/im);
  }
  await stillServes();
});

test('a declared body far past the drain bound: the 413 fault reaches a client that reads while sending, then the socket closes', async () => {
  const socket = await openTls(url, { ca, client });
  const reply = untilClosed(socket);
  socket.write(postHead(url, { ...soapHeaders, 'content-length': 1024 ** 3 }));
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = () => {
    while (!socket.destroyed && socket.write(chunk));
    if (!socket.destroyed) socket.once('drain', pump);
  };
  pump();
  assertRawFault(await reply, 413, 'SOA-03001', 'too-large');
  await stillServes();
});

test('a too-large body dripped after its 413 fault: the drain is bounded in time too, the socket closes', async () => {
  const socket = await openTls(url, { ca, client });
  socket.write(postHead(url, { ...soapHeaders, 'content-length': 100_000 }));
  drip(socket);
  const reply = await untilClosed(socket);
  assertRawFault(reply, 413, 'SOA-03001', 'too-large');
});
