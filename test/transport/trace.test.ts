import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { type TestContext, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { _BodyRedactor } from '../../src/transport/_trace-redact.ts';
import { createTransport } from '../../src/transport/create-transport.ts';
import { createTraceRecorder } from '../../src/transport/trace-recorder.ts';
import type { TraceExchange } from '../../src/transport/trace-types.ts';
import { decodeXml } from '../../src/utf8.ts';
import { signEnvelope } from '../../src/wss/sign.ts';
import { verifyEnvelope } from '../../src/wss/verify.ts';
import { throwsCode } from '../_support/assert-code.ts';
import { TEST_NOW, testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { requestEnvelope } from '../wss/_helpers.ts';
import { startTlsServer, type TestServerOptions } from './_tls-server.ts';

const clock = new FrozenClock(TEST_NOW);

/** Every file under `dir`, relative path → absolute path. */
function filesUnder(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.set(relative(dir, path), path);
    }
  };
  walk(dir);
  return found;
}

async function setup(t: TestContext, handler?: TestServerOptions['handler']) {
  const pki = await testPki();
  const server = await startTlsServer(t, {
    cert: pki.server,
    clientCa: pki.ca,
    ...(handler === undefined ? {} : { handler }),
  });
  const dir = join(tempDir(t, 'passerelle-trace-'), 'trace');
  const seen: TraceExchange[] = [];
  const recorder = createTraceRecorder({ dir, clock, onExchange: (e) => seen.push(e) });
  const transport = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate], trace: recorder });
  t.after(() => transport.close());
  return { pki, server, dir, recorder, transport, seen };
}

const exchangeJson = (folder: string) => JSON.parse(readFileSync(join(folder, 'exchange.json'), 'utf8'));

test('a traced POST: the head as undici wrote it, byte-exact bodies, 0700 folders and 0600 files, numbering shared and continued', async (t) => {
  const reply = Buffer.from([...Array(256).keys()].reverse());
  let rawHeaders: string[] = [];
  const { server, dir, recorder, transport, seen, pki } = await setup(t, (req, res) => {
    rawHeaders = req.rawHeaders;
    res.writeHead(201, 'Made', { 'content-type': 'application/octet-stream', 'X-Test': 'a b' }).end(reply);
  });
  const body = Buffer.concat([Buffer.from([...Array(256).keys()]), Buffer.from('\r\n\u00e9 end', 'utf8')]);
  const res = await transport.post(`${server.url}up/load?x=1`, {
    body,
    headers: { 'content-type': 'application/octet-stream' },
  });
  assert.equal(res.status, 201);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const folder = join(dir, '0001-POST-up-load');
  assert.equal(statSync(folder).mode & 0o777, 0o700);
  const files = filesUnder(dir);
  assert.deepEqual([...files.keys()].sort(), [
    '0001-POST-up-load/exchange.json',
    '0001-POST-up-load/request.body',
    '0001-POST-up-load/request.http',
    '0001-POST-up-load/response.body',
    '0001-POST-up-load/response.http',
  ]);
  for (const path of files.values()) assert.equal(statSync(path).mode & 0o777, 0o600, path);

  let expectedHead = 'POST /up/load?x=1 HTTP/1.1\r\n';
  for (let i = 0; i < rawHeaders.length; i += 2) expectedHead += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  assert.equal(readFileSync(join(folder, 'request.http'), 'latin1'), `${expectedHead}\r\n`);
  assert.match(expectedHead, /\r\ncontent-length: 264\r\n$/);
  assert.deepEqual(readFileSync(join(folder, 'request.body')), body);
  assert.deepEqual(readFileSync(join(folder, 'response.body')), reply);
  const head = readFileSync(join(folder, 'response.http'), 'latin1');
  assert.match(head, /^HTTP\/1\.1 201 Made\r\ncontent-type: application\/octet-stream\r\nX-Test: a b\r\n/);
  assert.ok(head.endsWith('\r\n\r\n'));

  const record = exchangeJson(folder);
  assert.equal(record.seq, 1);
  assert.equal(record.url, `${server.url}up/load?x=1`);
  assert.equal(record.startedAt, new Date(TEST_NOW).toISOString());
  assert.equal(record.status, 201);
  assert.equal(record.statusText, 'Made');
  assert.equal(record.exact, true);
  assert.equal(record.request.headSent, true);
  assert.equal(record.request.bytes, body.length);
  assert.equal(record.response.bytes, reply.length);
  assert.deepEqual(record.redactions, []);
  assert.equal(typeof record.ms, 'number');

  await transport.request(server.url);
  assert.deepEqual(
    seen.map((e) => [e.seq, e.method, e.status, e.bytesOut, e.bytesIn, e.exact, e.error]),
    [
      [1, 'POST', 201, body.length, reply.length, true, null],
      [2, 'GET', 201, 0, reply.length, true, null],
    ],
  );
  assert.match(
    readFileSync(join(dir, '0002-GET-127.0.0.1', 'request.http'), 'latin1'),
    /^GET \/ HTTP\/1\.1\r\n/,
  );
  assert.deepEqual(recorder.exchanges(), seen);

  // A second recorder on the same directory numbers after what is there.
  const again = createTraceRecorder({ dir, clock });
  const other = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate], trace: again });
  t.after(() => other.close());
  await other.request(`${server.url}next`);
  assert.equal(again.exchanges()[0]?.seq, 3);
  assert.ok(statSync(join(dir, '0003-GET-next')).isDirectory());
});

/** `n` bytes of deterministic content, in 64 KiB chunks. */
function* content(seed: string, n: number): Generator<Buffer> {
  let block = createHash('sha256').update(seed).digest();
  for (let sent = 0; sent < n; ) {
    const size = Math.min(65536, n - sent);
    const chunk = Buffer.alloc(size);
    for (let o = 0; o < size; o += 32) {
      block = createHash('sha256').update(block).digest();
      block.copy(chunk, o);
    }
    sent += size;
    yield chunk;
  }
}
const sha = (chunks: Iterable<Buffer>) => {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
};

test('streamed bodies are teed to their files as they flow: chunked upload, paused download, both byte-exact', async (t) => {
  const UP = 3 * 1024 * 1024;
  const DOWN = 8 * 1024 * 1024;
  const { server, dir, recorder, transport } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    Readable.from(content('down', DOWN)).pipe(res);
  });
  const response = await transport.postStream(`${server.url}stream`, {
    body: Readable.from(content('up', UP)),
    headers: { 'content-type': 'application/octet-stream' },
  });
  const folder = join(dir, '0001-POST-stream');
  const received = createHash('sha256');
  let got = 0;
  let paused = false;
  await new Promise<void>((resolve) => {
    response.body.on('data', (chunk: Buffer) => {
      received.update(chunk);
      got += chunk.length;
      if (got >= 1024 * 1024 && !paused) {
        paused = true;
        response.body.pause();
        resolve();
      }
    });
  });
  // Paused by its reader at 1 MiB: what came so far is on disk (but the redactor's 256-byte
  // look-ahead), and the rest is not held anywhere.
  const onDisk = statSync(join(folder, 'response.body')).size;
  assert.ok(onDisk >= got - 256 && onDisk < DOWN / 2, `${onDisk} bytes on disk after ${got} read`);
  assert.equal(recorder.exchanges().length, 0);
  const ended = new Promise((resolve) => response.body.on('end', resolve));
  response.body.resume();
  await ended;
  assert.equal(received.digest('hex'), sha(content('down', DOWN)));
  assert.equal(server.requests[0]?.body.length, UP);

  const [exchange] = recorder.exchanges();
  assert.equal(exchange?.bytesOut, UP);
  assert.equal(exchange?.bytesIn, DOWN);
  assert.equal(sha([readFileSync(join(folder, 'request.body'))]), sha(content('up', UP)));
  assert.equal(sha([readFileSync(join(folder, 'response.body'))]), sha(content('down', DOWN)));
  assert.match(
    readFileSync(join(folder, 'request.http'), 'latin1'),
    /\r\ntransfer-encoding: chunked\r\n\r\n$/,
  );
});

test('multipart bodies are also split into parts/<n>-<content-id> files, whatever the chunking', async (t) => {
  const attachment = Buffer.concat([
    Buffer.from('--b1 is not a delimiter\r\n-- b1\r\n'),
    Buffer.alloc(300, 7),
  ]);
  const pkg = (boundary: string) =>
    Buffer.concat([
      Buffer.from(
        `preamble\r\n--${boundary}\r\nContent-Type: application/xop+xml; type="text/xml"\r\nContent-ID: <root@x>\r\n\r\n<e/>\r\n--${boundary}\r\n` +
          'Content-Type: application/octet-stream\r\nContent-ID: <att/1@x>\r\n\r\n',
      ),
      attachment,
      Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
    ]);
  const { server, dir, transport } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'multipart/related; boundary="b1"; type="application/xop+xml"' });
    res.end(pkg('b1'));
  });
  const sent = pkg('up');
  const chunks = [];
  for (let i = 0; i < sent.length; i += 5) chunks.push(sent.subarray(i, i + 5));
  const res = await transport.post(`${server.url}mtom`, {
    body: Readable.from(chunks),
    headers: { 'content-type': 'multipart/related; boundary=up; type="application/xop+xml"' },
  });
  assert.deepEqual(res.body, pkg('b1'));
  const folder = join(dir, '0001-POST-mtom');
  assert.deepEqual(readFileSync(join(folder, 'request.mime')), sent);
  assert.deepEqual(readFileSync(join(folder, 'response.mime')), pkg('b1'));
  for (const role of ['request', 'response']) {
    assert.equal(readFileSync(join(folder, `${role}-parts`, '0001-root@x'), 'latin1'), '<e/>');
    assert.deepEqual(readFileSync(join(folder, `${role}-parts`, '0002-att-1@x')), attachment);
    assert.equal(statSync(join(folder, `${role}-parts`)).mode & 0o777, 0o700);
  }
  const record = exchangeJson(folder);
  assert.deepEqual(record.response.parts, [
    {
      file: 'response-parts/0001-root@x',
      contentId: '<root@x>',
      contentType: 'application/xop+xml; type="text/xml"',
      bytes: 4,
    },
    {
      file: 'response-parts/0002-att-1@x',
      contentId: '<att/1@x>',
      contentType: 'application/octet-stream',
      bytes: attachment.length,
    },
  ]);
  assert.equal(record.request.parts.length, 2);
});

test('secrets are redacted and marked: credential headers, OAuth form fields and token fields, private keys in any body', async (t) => {
  const secrets = {
    bearer: 'bearer-Zq81x',
    basic: Buffer.from('user:pw-91kd').toString('base64'),
    dpop: 'dpop-proof-Hh27',
    cookie: 'sid=cookie-Kk11',
    setCookie: 'sess=setcookie-Pp44',
    assertion: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln',
    clientSecret: 'client-secret-Ww09',
    password: 'pass+word%26-Tt55',
    refresh: 'refresh-Rr66',
    code: 'code-Cc77',
    verifier: 'verifier-Vv88',
    access: 'access-Aa99',
    idToken: 'id-token-Ii00',
    refreshOut: 'refresh-out-Oo12',
  };
  const { server, dir, transport, pki, recorder } = await setup(t, (req, res) => {
    if (req.url === '/token') {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': secrets.setCookie });
      res.end(
        `{"token_type":"Bearer","access_token":"${secrets.access}","expires_in":300,` +
          `"refresh_token" : "${secrets.refreshOut}","id_token":"${secrets.idToken}"}`,
      );
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`key follows\n${pki.ec.keyPem}done`);
    }
  });
  const form =
    `grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer` +
    `&client_assertion=${secrets.assertion}&client_secret=${secrets.clientSecret}&password=${secrets.password}` +
    `&refresh_token=${secrets.refresh}&code=${secrets.code}&code_verifier=${secrets.verifier}&scope=a+b`;
  await transport.post(`${server.url}token`, {
    body: form,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${secrets.bearer}`,
      dpop: secrets.dpop,
      cookie: secrets.cookie,
    },
  });
  // A key in a streamed body, cut in 7-byte chunks so that its markers straddle chunks.
  const xml = Buffer.from(`<a><k>${pki.rsa.keyPem}</k><b>kept</b></a>`);
  const chunks = [];
  for (let i = 0; i < xml.length; i += 7) chunks.push(xml.subarray(i, i + 7));
  await transport.post(`${server.url}key`, {
    body: Readable.from(chunks),
    headers: { 'content-type': 'text/xml', authorization: `Basic ${secrets.basic}` },
  });

  const keyLines = [pki.rsa.keyPem, pki.ec.keyPem].flatMap((pem) =>
    pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')),
  );
  const files = filesUnder(dir);
  for (const [name, path] of files) {
    const text = readFileSync(path, 'latin1');
    for (const [what, value] of Object.entries(secrets))
      assert.ok(!text.includes(value), `${what} in ${name}`);
    for (const line of keyLines) assert.ok(!text.includes(line), `key material in ${name}`);
  }
  const token = join(dir, '0001-POST-token');
  assert.equal(
    readFileSync(join(token, 'request.form'), 'latin1'),
    form
      .replace(secrets.assertion, '[REDACTED:client_assertion]')
      .replace(secrets.clientSecret, '[REDACTED:client_secret]')
      .replace(secrets.password, '[REDACTED:password]')
      .replace(secrets.refresh, '[REDACTED:refresh_token]')
      .replace(`code=${secrets.code}`, 'code=[REDACTED:code]')
      .replace(secrets.verifier, '[REDACTED:code_verifier]'),
  );
  const head = readFileSync(join(token, 'request.http'), 'latin1');
  assert.match(head, /\r\nauthorization: Bearer \[REDACTED:bearer\]\r\n/);
  assert.match(head, /\r\ndpop: \[REDACTED:dpop\]\r\n/);
  assert.match(head, /\r\ncookie: \[REDACTED:cookie\]\r\n/);
  assert.match(
    readFileSync(join(token, 'response.http'), 'latin1'),
    /\r\nset-cookie: \[REDACTED:cookie\]\r\n/,
  );
  assert.equal(
    readFileSync(join(token, 'response.json'), 'latin1'),
    '{"token_type":"Bearer","access_token":"[REDACTED:access_token]","expires_in":300,' +
      '"refresh_token" : "[REDACTED:refresh_token]","id_token":"[REDACTED:id_token]"}',
  );
  const record = exchangeJson(token);
  assert.equal(record.exact, false);
  assert.equal(record.request.exact, false);
  assert.equal(record.response.exact, false);
  assert.deepEqual(record.redactions.map((r: { in: string; kind: string }) => `${r.in}:${r.kind}`).sort(), [
    'request.body:client_assertion',
    'request.body:client_secret',
    'request.body:code',
    'request.body:code_verifier',
    'request.body:password',
    'request.body:refresh_token',
    'request.http:bearer',
    'request.http:cookie',
    'request.http:dpop',
    'response.body:access_token',
    'response.body:id_token',
    'response.body:refresh_token',
    'response.http:cookie',
  ]);
  const key = join(dir, '0002-POST-key');
  assert.equal(
    readFileSync(join(key, 'request.xml'), 'latin1'),
    '<a><k>-----BEGIN PRIVATE KEY-----[REDACTED:private-key]-----END PRIVATE KEY-----\n</k><b>kept</b></a>',
  );
  assert.match(
    readFileSync(join(key, 'request.http'), 'latin1'),
    /\r\nauthorization: Basic \[REDACTED:basic\]\r\n/,
  );
  assert.match(
    readFileSync(join(key, 'response.txt'), 'latin1'),
    /^key follows\n-----BEGIN [A-Z ]*PRIVATE KEY-----\[REDACTED:private-key\]-----END/,
  );
  assert.deepEqual(recorder.exchanges()[1]?.redactions, [
    { in: 'request.http', kind: 'basic', count: 1 },
    { in: 'request.body', kind: 'private-key', count: 1 },
    { in: 'response.body', kind: 'private-key', count: 1 },
  ]);
  assert.equal(recorder.exchanges()[1]?.exact, false);
});

test('the body redactor gives the same bytes however the body is cut; an unterminated key is redacted to the end', () => {
  const input = Buffer.from(
    'x&password=p1&code=c2&scope=s{"access_token": "t\\"3", "n":1}<wsse:Password Type="t">p4</wsse:Password>' +
      '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\ntail -----BEGIN PRIVATE KEY-----\nBBBB',
  );
  const run = (type: string, size: number) => {
    const r = new _BodyRedactor(type);
    const out: Buffer[] = [];
    for (let i = 0; i < input.length; i += size) out.push(r.push(input.subarray(i, i + size)));
    out.push(r.end());
    return { text: Buffer.concat(out).toString('latin1'), kinds: r.kinds };
  };
  const form = run('application/x-www-form-urlencoded; charset=utf-8', input.length);
  assert.equal(
    form.text,
    'x&password=[REDACTED:password]&code=[REDACTED:code]&scope=s{"access_token": "[REDACTED:access_token]", "n":1}' +
      '<wsse:Password Type="t">p4</wsse:Password>' +
      '-----BEGIN EC PRIVATE KEY-----[REDACTED:private-key]-----END EC PRIVATE KEY-----\ntail -----BEGIN PRIVATE KEY-----[REDACTED:private-key]',
  );
  assert.deepEqual(form.kinds, ['password', 'code', 'access_token', 'private-key', 'private-key']);
  for (const size of [1, 2, 3, 5, 8, 13, 64])
    assert.deepEqual(run('application/x-www-form-urlencoded; charset=utf-8', size), form);
  // Not a form: `password=` is left alone, an XML Password element is not.
  const xml = run('text/xml', input.length);
  assert.match(xml.text, /^x&password=p1&code=c2&scope=s\{"access_token": "\[REDACTED:access_token\]"/);
  assert.match(xml.text, /<wsse:Password Type="t">\[REDACTED:password\]<\/wsse:Password>/);
  for (const size of [1, 3, 7]) assert.deepEqual(run('text/xml', size), xml);
});

test('a signed SOAP request is recorded byte-exact: the file verifies, and its signer is the BinarySecurityToken subject', async (t) => {
  const { server, dir, transport, pki, seen } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end('<ok/>');
  });
  const signed = signEnvelope(requestEnvelope(), { credential: pki.rsa, clock });
  await transport.post(`${server.url}soap`, {
    body: signed,
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
  });
  const bytes = readFileSync(join(dir, '0001-POST-soap', 'request.xml'));
  assert.deepEqual(bytes, Buffer.from(signed));
  const verified = verifyEnvelope(decodeXml(bytes), {
    trust: { pinned: [], ca: [pki.ca.certificate] },
    clock,
  });
  assert.equal(verified.signer.fingerprint256, pki.rsa.certificate.fingerprint256);
  assert.deepEqual(seen[0]?.signer, {
    subject: pki.rsa.certificate.subject.split('\n').reverse().join(', '),
    source: 'BinarySecurityToken',
  });
  assert.match(seen[0]?.signer?.subject ?? '', /^CN=urn:be:test:app:rsa, /);
  assert.equal(seen[0]?.exact, true);
});

test('a failing exchange is still recorded with its error code: refused connection, untrusted server, oversized reply', async (t) => {
  const { server, dir, recorder, pki } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(100));
  });
  const closed = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  const plain = createTransport({ credential: pki.rsa, ca: [pki.ca.certificate], trace: recorder });
  const rogue = createTransport({ credential: pki.rsa, ca: [pki.rogueCa.certificate], trace: recorder });
  t.after(() => Promise.all([plain.close(), rogue.close()]));
  await assert.rejects(
    plain.post(`https://127.0.0.1:${closed}/refused`, {
      body: 'tried',
      headers: { authorization: 'Bearer zz-top' },
    }),
    (e) => isPasserelleError(e, 'ERR_TRANSPORT_CONNECT'),
  );
  await assert.rejects(rogue.request(`${server.url}untrusted`), (e) =>
    isPasserelleError(e, 'ERR_TRANSPORT_TLS'),
  );
  await assert.rejects(plain.request(`${server.url}big`, { maxResponseBytes: 10 }), (e) =>
    isPasserelleError(e, 'ERR_TRANSPORT_BODY_TOO_LARGE'),
  );
  assert.deepEqual(
    recorder.exchanges().map((e) => [e.seq, e.status, e.error?.code]),
    [
      [1, null, 'ERR_TRANSPORT_CONNECT'],
      [2, null, 'ERR_TRANSPORT_TLS'],
      [3, 200, 'ERR_TRANSPORT_BODY_TOO_LARGE'],
    ],
  );
  const refused = join(dir, '0001-POST-refused');
  const record = exchangeJson(refused);
  assert.equal(record.error.code, 'ERR_TRANSPORT_CONNECT');
  assert.match(record.error.message, /ECONNREFUSED/);
  assert.equal(record.request.headSent, false);
  assert.equal(record.response, null);
  assert.equal(record.request.bytes, 0);
  // Not sent, so rebuilt from the request options, still redacted.
  assert.equal(
    readFileSync(join(refused, 'request.http'), 'latin1'),
    `POST /refused HTTP/1.1\r\nhost: 127.0.0.1:${closed}\r\nuser-agent: passerelle\r\nauthorization: Bearer [REDACTED:bearer]\r\n\r\n`,
  );
  assert.equal(readFileSync(join(refused, 'request.body'), 'latin1'), 'tried');
  assert.deepEqual(readdirSync(refused).sort(), ['exchange.json', 'request.body', 'request.http']);
  assert.equal(exchangeJson(join(dir, '0002-GET-untrusted')).error.code, 'ERR_TRANSPORT_TLS');
});

test('a trace directory that cannot be used is ERR_FILE_UNWRITABLE up front; one that breaks later never breaks the call', async (t) => {
  const base = tempDir(t, 'passerelle-trace-');
  const file = join(base, 'file');
  writeFileSync(file, 'x');
  throwsCode(() => createTraceRecorder({ dir: file }), 'ERR_FILE_UNWRITABLE');
  throwsCode(() => createTraceRecorder({ dir: join(file, 'below') }), 'ERR_FILE_UNWRITABLE');
  assert.throws(() => createTraceRecorder({ dir: '' }), TypeError);
  assert.throws(
    () => createTransport({ trace: { dir: base, exchanges: () => [] } }),
    /createTransport: trace must come from createTraceRecorder/,
  );

  const { server, dir, recorder, transport } = await setup(t);
  rmSync(dir, { recursive: true });
  writeFileSync(dir, 'not a directory any more');
  const res = await transport.request(server.url);
  assert.equal(res.status, 200);
  assert.match(recorder.exchanges()[0]?.traceError ?? '', /^trace files could not be written \(ENOTDIR\)$/);
});
