import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { classifyRetry } from '../../src/transport/classify-retry.ts';
import { createTransport } from '../../src/transport/create-transport.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { outOfDateCredentials, TEST_NOW, testPki } from '../_support/credentials.ts';
import { startTlsServer } from './_tls-server.ts';

const code = (c: Parameters<typeof isPasserelleError>[1]) => (e: unknown) => isPasserelleError(e, c);

for (const kind of ['rsa', 'ec'] as const) {
  test(`mutual TLS succeeds with the ${kind} client certificate and the server sees its subject`, async (t) => {
    const pki = await testPki();
    const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca });
    const transport = createTransport({ credential: pki[kind], ca: [pki.ca.certificate] });
    t.after(() => transport.close());
    const res = await transport.post(server.url, {
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'ok');
    assert.equal(server.requests[0]?.body.toString(), 'hello');
    assert.match(server.requests[0]?.clientSubject ?? '', new RegExp(`urn:be:test:app:${kind}`));
  });
}

test('request() sends any method (GET by default, no body) under the same TLS policy', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca });
  const transport = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  assert.equal((await transport.request(server.url)).body.toString(), 'ok');
  const stream = await transport.requestStream(server.url, { method: 'PUT', body: 'x' });
  assert.equal(Buffer.concat(await stream.body.toArray()).toString(), 'ok');
  assert.deepEqual(
    server.requests.map((r) => [r.method, r.body.toString()]),
    [
      ['GET', ''],
      ['PUT', 'x'],
    ],
  );
  await assert.rejects(transport.request('http://localhost:1/'), code('ERR_TRANSPORT_INSECURE'));
});

test('the CA bundle can be PEM text; localhost is verified by name', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca });
  const transport = createTransport({ credential: pki.rsa, ca: pki.ca.certPem });
  t.after(() => transport.close());
  assert.equal((await transport.post(`https://localhost:${server.port}/`, { body: '' })).status, 200);
});

for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
  test(`a server requiring a client certificate rejects a client without one over ${maxVersion} (ERR_TRANSPORT_TLS)`, async (t) => {
    const pki = await testPki();
    const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca, maxVersion });
    const transport = createTransport({ ca: [pki.ca.certificate] });
    t.after(() => transport.close());
    await assert.rejects(transport.post(server.url, { body: 'x' }), (e: unknown) => {
      assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_TLS'), String(e));
      assert.match(e.hint ?? '', /asked for a client certificate/);
      assert.equal(e.details['requestSent'], false);
      assert.equal(classifyRetry(e).retry, false);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });
}

test('a client certificate from a CA the server does not trust is rejected (ERR_TRANSPORT_TLS)', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca });
  const transport = createTransport({ credential: pki.rogue, ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  await assert.rejects(transport.post(server.url, { body: 'x' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_TLS'), String(e));
    assert.match(e.hint ?? '', /refused your client certificate/);
    return true;
  });
  assert.equal(server.requests.length, 0);
});

test('a server certificate from a CA outside the trust bundle is rejected (ERR_TRANSPORT_TLS)', async (t) => {
  const pki = await testPki();
  const rogueServer = await pki.issue({
    subject: 'CN=localhost',
    usage: 'tls-server',
    issuer: pki.rogueCa,
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const server = await startTlsServer(t, { cert: rogueServer, clientCa: pki.ca });
  const transport = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  await assert.rejects(transport.post(server.url, { body: 'x' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_TLS'), String(e));
    assert.match(e.hint ?? '', /not issued by a CA in your trust bundle/);
    assert.equal(e.details['requestSent'], false);
    return true;
  });
  assert.equal(server.requests.length, 0);
});

test('without a CA bundle the default roots apply and a private CA is not trusted', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server });
  const transport = createTransport({ credential: pki.rsa });
  t.after(() => transport.close());
  await assert.rejects(transport.post(server.url, { body: 'x' }), code('ERR_TRANSPORT_TLS'));
});

test('a certificate issued for another host name is rejected (hostname verification on)', async (t) => {
  const pki = await testPki();
  const other = await pki.issue({
    subject: 'CN=other.example',
    usage: 'tls-server',
    dnsNames: ['other.example'],
  });
  const server = await startTlsServer(t, { cert: other, clientCa: pki.ca });
  const transport = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  for (const host of ['127.0.0.1', 'localhost']) {
    await assert.rejects(transport.post(`https://${host}:${server.port}/`, { body: 'x' }), (e: unknown) => {
      assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_TLS'), String(e));
      assert.equal(e.details['errno'], 'ERR_TLS_CERT_ALTNAME_INVALID');
      return true;
    });
  }
  assert.equal(server.requests.length, 0);
});

test('a TLS 1.1-only server is refused (ERR_TRANSPORT_TLS)', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, {
    cert: pki.server,
    minVersion: 'TLSv1.1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  });
  const transport = createTransport({ ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  await assert.rejects(transport.post(server.url, { body: 'x' }), code('ERR_TRANSPORT_TLS'));
  assert.equal(server.requests.length, 0);
});

test('NODE_TLS_REJECT_UNAUTHORIZED=0 is refused at creation and on every request', async (t) => {
  const pki = await testPki();
  const saved = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  const restore = () => {
    if (saved === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
    else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = saved;
  };
  t.after(restore);
  const server = await startTlsServer(t, { cert: pki.server });
  const transport = createTransport({ ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  try {
    assert.throws(() => createTransport({ ca: [pki.ca.certificate] }), code('ERR_TRANSPORT_INSECURE'));
    await assert.rejects(transport.post(server.url, { body: 'x' }), code('ERR_TRANSPORT_INSECURE'));
  } finally {
    restore();
  }
  assert.equal(server.requests.length, 0);
  assert.equal((await transport.post(server.url, { body: 'x' })).status, 200);
});

test('a plain http:// URL is refused (ERR_TRANSPORT_INSECURE)', async (t) => {
  const transport = createTransport();
  t.after(() => transport.close());
  await assert.rejects(transport.post('http://127.0.0.1:9/', { body: 'x' }), code('ERR_TRANSPORT_INSECURE'));
});

test('keep-alive: 20 sequential requests reuse one connection', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server, clientCa: pki.ca });
  const transport = createTransport({ credential: pki.ec, ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  for (let i = 0; i < 20; i++) {
    const res = await transport.post(server.url, { body: `n${i}` });
    assert.equal(res.status, 200);
  }
  assert.equal(server.requests.length, 20);
  assert.equal(server.connections(), 1);
});

test('a response over the size limit is refused, declared or streamed (ERR_TRANSPORT_BODY_TOO_LARGE)', async (t) => {
  const pki = await testPki();
  const big = Buffer.alloc(64 * 1024, 0x61);
  const server = await startTlsServer(t, {
    cert: pki.server,
    handler: (req, res) => {
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 4; i++) res.write(big);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(big.length) }).end(big);
      }
    },
  });
  const transport = createTransport({ ca: [pki.ca.certificate], maxResponseBytes: 100 * 1024 });
  t.after(() => transport.close());
  assert.equal((await transport.post(server.url, { body: '' })).body.length, big.length);
  await assert.rejects(
    transport.post(`${server.url}chunked`, { body: '' }),
    code('ERR_TRANSPORT_BODY_TOO_LARGE'),
  );
  await assert.rejects(
    transport.post(server.url, { body: '', maxResponseBytes: 1024 }),
    code('ERR_TRANSPORT_BODY_TOO_LARGE'),
  );
  await assert.rejects(
    transport.postStream(server.url, { body: '', maxResponseBytes: 1024 }),
    code('ERR_TRANSPORT_BODY_TOO_LARGE'),
  );
});

test('the streaming variant returns the body as a stream', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server });
  const transport = createTransport({ ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  const res = await transport.postStream(server.url, { body: Buffer.from('x') });
  assert.equal(res.status, 200);
  assert.equal(await res.body.text(), 'ok');
});

test('a server that never answers times out (ERR_TRANSPORT_TIMEOUT)', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server, handler: () => {} });
  const transport = createTransport({ ca: [pki.ca.certificate], headersTimeoutMs: 200 });
  t.after(() => transport.close());
  await assert.rejects(transport.post(server.url, { body: 'x' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_TIMEOUT'), String(e));
    assert.equal(e.details['phase'], 'headers');
    assert.equal(classifyRetry(e).retry, false);
    return true;
  });
});

test('a refused connection is ERR_TRANSPORT_CONNECT before sending, hence retryable', async (t) => {
  const pki = await testPki();
  const server = await startTlsServer(t, { cert: pki.server });
  const url = server.url;
  await server.close();
  const transport = createTransport({ ca: [pki.ca.certificate] });
  t.after(() => transport.close());
  await assert.rejects(transport.post(url, { body: 'x' }), (e: unknown) => {
    assert.ok(isPasserelleError(e, 'ERR_TRANSPORT_CONNECT'), String(e));
    assert.equal(e.details['errno'], 'ECONNREFUSED');
    assert.equal(e.details['requestSent'], false);
    assert.deepEqual(classifyRetry(e), { retry: true, reason: 'connection-refused' });
    return true;
  });
});

test('wrong use is a TypeError at construction', () => {
  assert.throws(() => createTransport({ ca: [] }), TypeError);
  assert.throws(() => createTransport({ connectTimeoutMs: -1 }), TypeError);
  assert.throws(() => createTransport({ minVersion: 'TLSv1.1' as 'TLSv1.2' }), TypeError);
});

test('a client certificate outside its validity period is refused by createTransport itself, before any connection', async () => {
  const pki = await testPki();
  const clock = new FrozenClock(TEST_NOW);
  const { expired, early } = await outOfDateCredentials(pki);
  throwsCode(() => createTransport({ credential: expired, clock }), 'ERR_PKI_CREDENTIAL_EXPIRED');
  throwsCode(() => createTransport({ credential: early, clock }), 'ERR_PKI_CREDENTIAL_NOT_YET_VALID');
  await createTransport({ credential: pki.rsa, clock }).close();
});
