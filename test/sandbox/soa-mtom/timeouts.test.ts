/**
 * The MTOM listener (port 4522) under stalled and dripping uploads (issue 17): it had no request
 * timeout, so a body that never ended held its connection forever. Now a body-idle timeout, a
 * total bound scaled on the declared size and a headers timeout end them with SOA-03001 (HTTP
 * 408) and a closed socket, the reason in the log; a legitimate upload still passes with the
 * same small timeouts. No test sleeps: each waits for the server to close the connections.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { MTOM_TEST } from '../../../src/services/mtom/index.ts';
import { createServiceContext } from '../../../src/services/service-context.ts';
import { buildEnvelope } from '../../../src/soap/build-envelope.ts';
import { type MtomAttachment, mtomCall } from '../../../src/soap/mtom/index.ts';
import { parseEnvelope } from '../../../src/soap/parse-envelope.ts';
import { signMtomEnvelope } from '../../../src/wss/mtom.ts';
import { drip, openTls, postHead, type RawExchange, untilClosed, writeThenRead } from '../_raw-tls.ts';
import { startMtomSandbox, uploadRequest } from './_sandbox.ts';

const IDLE_MS = 1000;
const { sandbox, clock, log, environment } = await startMtomSandbox(
  { after },
  {
    bodyIdleTimeoutMs: IDLE_MS,
    headersTimeoutMs: 4 * IDLE_MS,
    minBytesPerSecond: 10_000,
    maxPackageBytes: 6 * 1024 * 1024,
  },
);
const services = await createServiceContext(environment, { clock, processEnv: {} });
after(() => services.close());
const url = `${sandbox.endpoints['cbss.mtom']}${MTOM_TEST.path}`;
const ca = sandbox.pki.ca.certPem;
const client = sandbox.pki.partner.tls;
const boundary = 'stalled-boundary';
const mtomHeaders = {
  'content-type': `multipart/related; type="application/xop+xml"; start-info="text/xml"; boundary="${boundary}"`,
  soapaction: `"${MTOM_TEST.uploadAction}"`,
};
const stats = () => sandbox.modules['soa-mtom']?.stats?.() ?? {};
const reasons = (from: number) => log.entries.slice(from).map((e) => String(e.fields['reason'] ?? ''));

function assertTimeoutFault(reply: RawExchange): void {
  assert.equal(reply.status, 408, `${reply.error ?? ''} ${reply.headers}`);
  const fault = parseEnvelope(reply.body).fault;
  assert.equal(fault?.soa?.code, 'SOA-03001');
  assert.equal(fault?.faultcode, 'soapenv:Client');
}

async function upload(bytes: number): Promise<number> {
  const contentId = `doc-${bytes}@test`;
  const attachments: MtomAttachment[] = [{ contentId, source: { data: Buffer.alloc(bytes, 0x61) } }];
  const envelope = await signMtomEnvelope(uploadRequest(contentId), attachments, {
    credential: services.signingCredential(),
    clock,
  });
  const reply = await mtomCall(services.transport, url, {
    action: MTOM_TEST.uploadAction,
    envelope,
    attachments,
  });
  await reply.done();
  return reply.status;
}

test('50 stalled uploads (headers and a first part, then nothing): all answered SOA-03001 and closed after the idle timeout; the gateway still serves', async () => {
  const from = log.entries.length;
  const rejected = stats()['rejected'] ?? 0;
  const replies = Array.from({ length: 50 }, async () => {
    const socket = await openTls(url, { ca, client });
    const reply = untilClosed(socket);
    socket.write(postHead(url, { ...mtomHeaders, 'content-length': 1024 * 1024 }));
    socket.write(`--${boundary}\r\ncontent-type: application/xop+xml; type="text/xml"\r\n\r\n<soapenv:Env`);
    return reply;
  });
  for (const reply of await Promise.all(replies)) assertTimeoutFault(reply);
  const logged = reasons(from).filter((r) => r.startsWith('ERR_SANDBOX_REQUEST_TIMEOUT'));
  assert.equal(logged.length, 50, reasons(from).join(' | '));
  assert.match(logged[0] ?? '', /no request body byte for 1000 ms/);
  assert.equal((stats()['rejected'] ?? 0) - rejected, 50);
  assert.equal(await upload(1024), 200);
});

test('a slow drip (a byte every 40 ms, under the idle timeout): SOA-03001 at the total bound scaled on the declared size', async () => {
  const from = log.entries.length;
  const socket = await openTls(url, { ca, client });
  const reply = untilClosed(socket);
  // 10 000 bytes declared at 10 000 B/s: the bound is 1000 ms + 1 s.
  socket.write(postHead(url, { ...mtomHeaders, 'content-length': 10_000 }));
  socket.write(`--${boundary}\r\ncontent-type: application/xop+xml; type="text/xml"\r\n\r\n`);
  drip(socket);
  assertTimeoutFault(await reply);
  assert.ok(
    reasons(from).some((r) =>
      /^ERR_SANDBOX_REQUEST_TIMEOUT: request body not complete after 2000 ms/.test(r),
    ),
    reasons(from).join(' | '),
  );
});

test('stalled headers: 408 with SOA-03001 after the headers timeout (2 s here), logged headers-timeout', async () => {
  const from = log.entries.length;
  const socket = await openTls(url, { ca, client });
  socket.write(`POST ${MTOM_TEST.path} HTTP/1.1\r\nhost: x\r\n`);
  assertTimeoutFault(await untilClosed(socket));
  assert.ok(reasons(from).includes('headers-timeout'), reasons(from).join(' | '));
});

test('a legitimate 4 MiB upload passes with the same small timeouts (its total bound scales with its size)', async () => {
  assert.equal(await upload(4 * 1024 * 1024), 200);
});

test('a download the client stops reading: the connection is closed after the idle timeout, the reason logged; the gateway still serves', async () => {
  const from = log.entries.length;
  const envelope = await signMtomEnvelope(
    buildEnvelope({
      header: () => [],
      body: (doc) => {
        const r = doc.createElementNS(MTOM_TEST.ns, 'm:DownloadRequest');
        for (const [name, text] of [
          ['m:Size', String(256 * 1024 * 1024)],
          ['m:Seed', 'stalled-reader'],
        ] as const) {
          const el = doc.createElementNS(MTOM_TEST.ns, name);
          el.appendChild(doc.createTextNode(text));
          r.appendChild(el);
        }
        return r;
      },
    }),
    [],
    { credential: services.signingCredential(), clock },
  );
  const socket = await openTls(url, { ca, client });
  const closed = new Promise<void>((resolve, reject) => {
    const bound = setTimeout(() => reject(new Error('the server kept the stalled download open')), 20_000);
    socket.once('close', () => {
      clearTimeout(bound);
      resolve();
    });
  });
  socket.on('error', () => {});
  // Read the first bytes of the reply, then stop reading: the server's writes back up.
  socket.once('data', () => socket.pause());
  socket.write(
    postHead(url, {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: `"${MTOM_TEST.downloadAction}"`,
      'content-length': Buffer.byteLength(envelope),
    }) + envelope,
  );
  // Wait (bounded) for the server to give up on the reply, then read what the kernel still holds.
  const cut = /^ERR_SANDBOX_REQUEST_TIMEOUT: The client read nothing of the reply for 1000 ms/;
  for (let waited = 0; !reasons(from).some((r) => cut.test(r)); waited += 50) {
    assert.ok(waited < 20_000, `the server kept the stalled download open: ${reasons(from).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  socket.resume();
  await closed;
  assert.equal(reasons(from).filter((r) => r !== '').length, 1, reasons(from).join(' | '));
  assert.equal(await upload(1024), 200);
});

test('a package declared over the limit: 413 SOA-03001 read by a client that writes its whole request first (no broken pipe), reason logged', async () => {
  for (let i = 0; i < 3; i++) {
    const from = log.entries.length;
    const reply = await writeThenRead(url, { ca, client, headers: mtomHeaders, bodyBytes: 8 * 1024 * 1024 });
    assert.equal(reply.error, undefined, `the client saw ${reply.error}`);
    assert.equal(reply.status, 413, reply.headers);
    assert.equal(parseEnvelope(reply.body).fault?.soa?.code, 'SOA-03001');
    assert.match(reply.headers, /^connection: close$/im);
    assert.ok(
      reasons(from).some((r) => r.startsWith('ERR_SANDBOX_REQUEST_TOO_LARGE')),
      reasons(from).join(' | '),
    );
  }
  assert.equal(await upload(1024), 200);
});
