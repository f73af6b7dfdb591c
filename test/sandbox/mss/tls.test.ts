import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createServer } from 'node:tls';
import { openMssImap } from '../../../src/mss/index.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { tlsHandshake } from '../../_support/tls-handshake.ts';
import { CAMILLE, startMss } from './_mss.ts';

test('sandbox IMAP and SMTP (implicit TLS): TLS 1.2 and 1.3 accepted, TLS 1.1 refused; the same TLS 1.1 client gets through to a server that allows it', async (t) => {
  const m = await startMss(t);
  const ca = m.sandbox.pki.ca.certPem;
  for (const name of ['mss.imap', 'mss.smtp']) {
    assert.equal(await tlsHandshake(m.port(name), ca, 'TLSv1.2'), 'TLSv1.2', name);
    assert.equal(await tlsHandshake(m.port(name), ca, 'TLSv1.3'), 'TLSv1.3', name);
    assert.match(await tlsHandshake(m.port(name), ca, 'TLSv1.1'), /^error /, name);
  }
  const legacy = createServer({
    key: m.sandbox.pki.server.keyPem,
    cert: m.sandbox.pki.server.certPem,
    minVersion: 'TLSv1.1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  });
  legacy.on('secureConnection', (s) => s.end());
  legacy.listen(0, '127.0.0.1');
  await once(legacy, 'listening');
  t.after(() => legacy.close());
  const port = (legacy.address() as AddressInfo).port;
  assert.equal(await tlsHandshake(port, ca, 'TLSv1.1'), 'TLSv1.1', 'control: the client can speak TLS 1.1');

  const tokenAsked = { n: 0 };
  const error = await rejectsCode(
    openMssImap({
      url: `imaps://localhost:${port}`,
      mailbox: CAMILLE.mailboxes[0],
      ca,
      auth: {
        kind: 'xoauth2',
        accessToken: async () => {
          tokenAsked.n++;
          return 'never-sent';
        },
      },
      timeoutMs: 10_000,
    }),
    'ERR_MSS_TLS',
  );
  assert.equal(tokenAsked.n, 0, 'our client refuses a TLS 1.1 operator before any token');
  assert.equal(error.details['protocol'], 'imap');
});
