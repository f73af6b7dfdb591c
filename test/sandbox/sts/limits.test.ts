/**
 * The sandbox STS listener under oversized requests: the body is read through the sandbox's
 * bounded reader, a refusal is answered 413 and the rest drained (bounded), so a client that
 * writes its whole request before reading still reads the answer; the STS serves afterwards.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { writeThenRead } from '../_raw-tls.ts';
import { startStsSandbox } from './_sts-sandbox.ts';

const s = await startStsSandbox({ after }, { maxRequestBytes: 16 * 1024 });
const headers = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };

test('an STS request over the limit, written whole before reading: 413 read by the client, no broken pipe', async () => {
  for (let i = 0; i < 3; i++) {
    const reply = await writeThenRead(s.url, {
      ca: s.sandbox.pki.ca.certPem,
      client: s.sandbox.pki.partner.tls,
      headers,
      bodyBytes: 512 * 1024,
    });
    assert.equal(reply.error, undefined, `the client saw ${reply.error}`);
    assert.equal(reply.status, 413, reply.headers);
    assert.equal(reply.body, 'too large');
    assert.match(reply.headers, /^connection: close$/im);
  }
  const small = await writeThenRead(s.url, {
    ca: s.sandbox.pki.ca.certPem,
    client: s.sandbox.pki.partner.tls,
    headers,
    bodyBytes: 100,
  });
  assert.equal(
    small.status,
    500,
    'a small non-SOAP body is answered with the STS fault, the listener serves',
  );
});
