import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { PasserelleError } from '../../src/errors.ts';
import { tokenFingerprint } from '../../src/oauth/token-fingerprint.ts';
import { _ExchangeJournal } from '../../src/sandbox/_journal.ts';
import { _redact } from '../../src/sandbox/_journal-redact.ts';
import { VerificationReport } from '../../src/wss/report.ts';
import { TEST_NOW } from '../_support/credentials.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, journal: _ExchangeJournal) => void;

/** An HTTP server whose requests `journal` observes; `send` resolves once the exchange is recorded. */
async function journalServer(journal: _ExchangeJournal, handler: Handler) {
  let recorded: (() => void) | undefined;
  const server = createServer((req, res) => {
    journal.observe('test', req, res);
    // Registered after the journal's own listener: the exchange is in the journal when this runs.
    const done = recorded;
    res.once('close', () => done?.());
    handler(req, res, journal);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const send = (
    path: string,
    body: string | Buffer = '',
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> => {
    const inJournal = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    const reply = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', (error) => resolve({ status: 0, text: error.message }));
      req.end(body);
    });
    return Promise.all([reply, inJournal]).then(([r]) => r);
  };
  return send;
}

/** Reads the whole body, then answers with `reply` (text/xml unless the type is given). */
const echo =
  (reply: (body: string) => string, type = 'text/xml; charset=utf-8', status = 200): Handler =>
  (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(status, { 'content-type': type });
      res.end(reply(Buffer.concat(chunks).toString('utf8')));
    });
  };

test('a ring of `entries` exchanges, newest first; ids count every exchange; old ones are dropped', async () => {
  const journal = new _ExchangeJournal(new FrozenClock(TEST_NOW), { entries: 3 });
  const send = await journalServer(
    journal,
    echo((b) => `<ok>${b}</ok>`),
  );
  for (let i = 1; i <= 5; i++) await send(`/call/${i}`, `<n>${i}</n>`, { soapaction: `"urn:op${i}"` });
  const list = journal.summaries(10);
  assert.deepEqual(
    list.map((x) => [x.id, x.path, x.soapAction]),
    [
      ['5', '/call/5', '"urn:op5"'],
      ['4', '/call/4', '"urn:op4"'],
      ['3', '/call/3', '"urn:op3"'],
    ],
  );
  assert.deepEqual(journal.info(), { capacity: 3, maxEntryBytes: 256 * 1024, recorded: 5, dropped: 2 });
  assert.equal(journal.get('1'), undefined);
  const last = journal.get('5')!;
  assert.equal(last.time, new Date(TEST_NOW).toISOString());
  assert.equal(last.listener, 'test');
  assert.equal(last.method, 'POST');
  assert.equal(last.status, 200);
  assert.equal(last.completed, true);
  assert.ok(last.durationMs >= 0);
  assert.equal(last.clientSubject, undefined);
  assert.deepEqual(last.request, { bytes: 8, text: '<n>5</n>', truncated: false });
  assert.deepEqual(last.reply, { bytes: 17, text: '<ok><n>5</n></ok>', truncated: false });
  assert.equal(last.replyHeaders['content-type'], 'text/xml; charset=utf-8');
  assert.equal(journal.summaries(1).length, 1);
  assert.equal('request' in list[0]!, false, 'summaries carry no bodies');
});

test('bodies keep at most half of maxEntryBytes each; the rest is counted and marked truncated', async () => {
  const journal = new _ExchangeJournal(new FrozenClock(TEST_NOW), { maxEntryBytes: 1024 });
  const send = await journalServer(
    journal,
    echo((b) => 'R'.repeat(b.length * 2)),
  );
  const reply = await send('/big', 'Q'.repeat(100_000));
  assert.equal(reply.text.length, 200_000, 'the client gets the whole reply');
  const x = journal.get('1')!;
  assert.deepEqual([x.request.bytes, x.request.text.length, x.request.truncated], [100_000, 512, true]);
  assert.deepEqual([x.reply.bytes, x.reply.text.length, x.reply.truncated], [200_000, 512, true]);
  assert.deepEqual([x.requestBytes, x.replyBytes], [100_000, 200_000]);
});

test('OAuth and REST secrets are redacted: client_assertion, access_token (even cut by truncation), Authorization', async () => {
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('{"sub":"partner"}').toString('base64url')}.c2lnbmF0dXJl`;
  const opaque = 'opaque-token-value-1234567890';
  const journal = new _ExchangeJournal(new FrozenClock(TEST_NOW), { maxEntryBytes: 2048 });
  const send = await journalServer(
    journal,
    echo(() => {
      // The kept half (1024 bytes) ends 6 characters into the refresh_token value.
      const first = JSON.stringify({ access_token: opaque, token_type: 'Bearer', expires_in: 3600 });
      const pad = ' '.repeat(1024 - first.length - '{"refresh_token":"'.length - 6);
      return `${first}${pad}${JSON.stringify({ refresh_token: `${opaque}${'z'.repeat(200)}` })}`;
    }, 'application/json'),
  );
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
  }).toString();
  await send('/REST/oauth/v5/token?token=in-the-query', form, {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Bearer ${opaque}`,
    cookie: 'session=abc',
  });
  const x = journal.get('1')!;
  const all = JSON.stringify(x);
  for (const secret of [jwt, opaque, 'in-the-query', 'session=abc', 'c2lnbmF0dXJl'])
    assert.ok(!all.includes(secret), `${secret.slice(0, 20)} is not kept`);
  assert.match(x.request.text, /client_assertion=\[REDACTED:client_assertion\]/);
  assert.match(x.request.text, /grant_type=client_credentials/);
  assert.match(x.reply.text, /"access_token":"\[REDACTED:access_token\]","token_type":"Bearer"/);
  assert.ok(x.reply.truncated);
  assert.match(
    x.reply.text,
    /"refresh_token":"\[REDACTED:refresh_token\]"$/,
    'a value cut short is redacted',
  );
  assert.equal(x.path, '/REST/oauth/v5/token?token=[REDACTED:token]');
  assert.equal(
    x.requestHeaders['authorization'],
    `Bearer [REDACTED:access token ${tokenFingerprint(opaque)}]`,
  );
  assert.equal(x.requestHeaders['cookie'], '[REDACTED:cookie]');
  assert.equal(
    _redact('a -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY----- b'),
    'a [REDACTED:private key] b',
  );
});

test('faults: a SOA code from a SOAP fault, an OAuth error, or what the handler noted (with the verification)', async () => {
  const journal = new _ExchangeJournal(new FrozenClock(TEST_NOW));
  const report = new VerificationReport();
  report.finished(new PasserelleError('ERR_WSS_DIGEST_MISMATCH', 'changed'));
  let mode = 'soap';
  const send = await journalServer(journal, (req, res, j) => {
    if (mode === 'noted')
      j.note(req, { fault: 'SOA-01001', reason: 'ERR_WSS_DIGEST_MISMATCH', verification: report });
    if (mode === 'oauth') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_client","error_description":"no"}');
    } else {
      res.writeHead(500, { 'content-type': 'text/xml' });
      res.end(
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>SOA-03001: Malformed message.</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
      );
    }
  });
  await send('/a');
  mode = 'oauth';
  await send('/b');
  mode = 'noted';
  await send('/c');
  const [noted, oauth, soap] = journal.summaries(3);
  assert.deepEqual([soap?.fault, soap?.status], ['SOA-03001', 500]);
  assert.deepEqual([oauth?.fault, oauth?.status], ['invalid_client', 400]);
  assert.deepEqual(
    [noted?.fault, noted?.reason, noted?.verification],
    ['SOA-01001', 'ERR_WSS_DIGEST_MISMATCH', { outcome: 'refused', code: 'ERR_WSS_DIGEST_MISMATCH' }],
  );
  assert.equal(journal.get(noted!.id)?.verificationReport?.code, 'ERR_WSS_DIGEST_MISMATCH');
});

test('a connection closed before any reply is recorded with status 0, not completed', async () => {
  const journal = new _ExchangeJournal(new FrozenClock(TEST_NOW));
  const send = await journalServer(journal, (_req, res) => res.destroy());
  const reply = await send('/cut', 'x');
  assert.equal(reply.status, 0);
  const x = journal.get('1')!;
  assert.deepEqual([x.status, x.completed, x.reply.bytes], [0, false, 0]);
});

test('journal bounds are checked: TypeError', () => {
  const clock = new FrozenClock(TEST_NOW);
  for (const bad of [{ entries: 0 }, { entries: 10_001 }, { entries: 1.5 }, { maxEntryBytes: 100 }]) {
    assert.throws(() => new _ExchangeJournal(clock, bad), TypeError, JSON.stringify(bad));
  }
});
