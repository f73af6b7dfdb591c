import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { type TestContext, test } from 'node:test';
import { createTransport, type Transporter } from 'nodemailer';
import { MAX_HEADER_BYTES, parseHeaderBlock } from '../../../src/mss/conformance/_inbound-headers.ts';
import { InboundStore } from '../../../src/mss/conformance/_inbound-store.ts';
import {
  type InboundReceiver,
  type InboundReceiverOptions,
  startInboundReceiver,
} from '../../../src/mss/conformance/inbound.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { testPki } from '../../_support/credentials.ts';

const pki = await testPki();
const ADDRESS = 'conformance@app.example';
const FROM = 'jean.dupont@medecin.mssante.fr';

async function receiver(
  t: TestContext,
  options: Partial<InboundReceiverOptions> = {},
): Promise<InboundReceiver> {
  const r = await startInboundReceiver({
    host: '127.0.0.1',
    port: 0,
    address: ADDRESS,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    ...options,
  });
  t.after(() => r.close());
  return r;
}

type Tls = {
  readonly minVersion?: 'TLSv1' | 'TLSv1.2';
  readonly maxVersion?: 'TLSv1' | 'TLSv1.2';
  ciphers?: string;
};

/** nodemailer, an independent SMTP client: STARTTLS required with `tls`, or plain SMTP. */
function client(t: TestContext, port: number, tls: Tls | 'none'): Transporter {
  const transport = createTransport(
    tls === 'none'
      ? { host: '127.0.0.1', port, secure: false, ignoreTLS: true }
      : {
          host: '127.0.0.1',
          port,
          secure: false,
          requireTLS: true,
          tls: { ca: pki.ca.certPem, rejectUnauthorized: true, ...tls },
        },
  );
  t.after(() => transport.close());
  return transport;
}

function message(id: string, body = 'Bonjour.\r\n'): string {
  return [
    `From: <${FROM}>`,
    `To: <${ADDRESS}>`,
    'Subject: interface',
    '  operateur',
    `Message-ID: ${id}`,
    'X-MSS-NIL: PASSERELLE-CONFORMANCE',
    'X-Mss-Nil: second occurrence, ignored',
    '',
    body,
  ].join('\r\n');
}

function send(transport: Transporter, id: string, to = ADDRESS, body?: string) {
  return transport.sendMail({ envelope: { from: FROM, to: [to] }, raw: message(id, body) });
}

test('inbound receiver: a message sent over STARTTLS TLS 1.2 is kept with its TLS version, sender, headers and size', async (t) => {
  const r = await receiver(t);
  assert.equal(r.address, ADDRESS);
  const id = '<conformance-run1-inbound@passerelle.invalid>';
  const info = await send(client(t, r.port, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }), id);
  assert.match(String(info.response), /^250 /);
  const got = await r.waitFor(id, 5000);
  assert.ok(got);
  assert.equal(got.tlsProtocol, 'TLSv1.2');
  assert.equal(got.from, FROM);
  assert.equal(got.headers['x-mss-nil'], 'PASSERELLE-CONFORMANCE', 'first occurrence');
  assert.equal(got.headers['subject'], 'interface  operateur', 'unfolded');
  assert.equal(got.headers['message-id'], id);
  assert.equal(got.size, Buffer.byteLength(message(id)), 'the message as sent, without the final dot line');
  // Found with or without the angle brackets.
  assert.equal(await r.waitFor('conformance-run1-inbound@passerelle.invalid', 0), got);
});

test('inbound receiver: without STARTTLS the message is kept with tlsProtocol null (the case reports it)', async (t) => {
  const r = await receiver(t);
  await send(client(t, r.port, 'none'), '<plain@passerelle.invalid>');
  const got = await r.waitFor('<plain@passerelle.invalid>', 5000);
  assert.equal(got?.tlsProtocol, null);
  assert.equal(got?.headers['x-mss-nil'], 'PASSERELLE-CONFORMANCE');
});

test('inbound receiver: an MTA limited to TLS 1.0 gets through and is recorded as TLSv1', async (t) => {
  const r = await receiver(t);
  const transport = client(t, r.port, {
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  });
  await send(transport, '<tls10@passerelle.invalid>');
  const got = await r.waitFor('<tls10@passerelle.invalid>', 5000);
  assert.equal(got?.tlsProtocol, 'TLSv1');
});

test('inbound receiver: another recipient is refused with 550 5.1.1, the address compared without case', async (t) => {
  const r = await receiver(t);
  const transport = client(t, r.port, 'none');
  await assert.rejects(send(transport, '<other@passerelle.invalid>', 'someone@app.example'), (e: unknown) => {
    assert.equal((e as { responseCode?: number }).responseCode, 550);
    assert.match(String((e as { response?: string }).response), /5\.1\.1/);
    return true;
  });
  assert.equal(await r.waitFor('<other@passerelle.invalid>', 0), undefined);
  await send(transport, '<upper@passerelle.invalid>', 'Conformance@APP.example');
  assert.ok(await r.waitFor('<upper@passerelle.invalid>', 5000));
});

test('inbound receiver: a message over maxMessageBytes gets 552 and nothing is kept', async (t) => {
  const r = await receiver(t, { maxMessageBytes: 4096 });
  const transport = client(t, r.port, 'none');
  const big = `${'x'.repeat(76)}\r\n`.repeat(100);
  await assert.rejects(send(transport, '<big@passerelle.invalid>', ADDRESS, big), (e: unknown) => {
    assert.equal((e as { responseCode?: number }).responseCode, 552);
    return true;
  });
  assert.equal(await r.waitFor('<big@passerelle.invalid>', 0), undefined);
});

test('inbound receiver: waitFor ends with undefined at its timeout, and rejects at once on abort, leaving no listener', async (t) => {
  const r = await receiver(t);
  assert.equal(await r.waitFor('<never@passerelle.invalid>', 30), undefined);
  const controller = new AbortController();
  const waiting = r.waitFor('<never@passerelle.invalid>', 60_000, controller.signal);
  assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  await assert.rejects(r.waitFor('<never@passerelle.invalid>', 60_000, controller.signal), {
    name: 'AbortError',
  });
  await rejectsCode(r.waitFor('<x@passerelle.invalid>', -1), 'ERR_USAGE');
});

test('inbound receiver: a message arriving after waitFor started ends the wait; close ends the waits left', async (t) => {
  const r = await receiver(t);
  const controller = new AbortController();
  const waiting = r.waitFor('<later@passerelle.invalid>', 60_000, controller.signal);
  const other = r.waitFor('<never@passerelle.invalid>', 60_000);
  await send(client(t, r.port, { minVersion: 'TLSv1.2' }), '<later@passerelle.invalid>');
  const got = await waiting;
  assert.equal(got?.from, FROM);
  assert.ok(got?.tlsProtocol === 'TLSv1.2' || got?.tlsProtocol === 'TLSv1.3');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'the abort listener is gone');
  await r.close();
  assert.equal(await other, undefined);
});

test('inbound receiver: bad options are ERR_USAGE; a taken port is ERR_SANDBOX_START', async (t) => {
  const base = {
    host: '127.0.0.1',
    port: 0,
    address: ADDRESS,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
  };
  await rejectsCode(startInboundReceiver({ ...base, address: 'not an address' }), 'ERR_USAGE');
  await rejectsCode(startInboundReceiver({ ...base, port: 70_000 }), 'ERR_USAGE');
  await rejectsCode(startInboundReceiver({ ...base, maxMessages: 0 }), 'ERR_USAGE');
  const e = await rejectsCode(
    startInboundReceiver({ ...base, tls: { key: 'not a key', cert: pki.server.certPem } }),
    'ERR_USAGE',
  );
  assert.doesNotMatch(e.message, /BEGIN/);
  const r = await receiver(t);
  await rejectsCode(startInboundReceiver({ ...base, port: r.port }), 'ERR_SANDBOX_START');
});

test('inbound store: bounded (the oldest message dropped), the first of a repeated Message-ID kept', async () => {
  const store = new InboundStore(2);
  const m = (from: string) => ({ tlsProtocol: null, from, headers: {}, size: 1 });
  assert.equal(store.add('<a@x>', m('1')), true);
  assert.equal(store.add('a@x', m('repeat')), false);
  assert.equal(store.add('', m('no id')), false);
  store.add('<b@x>', m('2'));
  store.add('<c@x>', m('3'));
  assert.equal(store.size, 2);
  assert.equal(await store.waitFor('<a@x>', 0), undefined);
  assert.equal((await store.waitFor('<b@x>', 0))?.from, '2');
  const waiting = store.waitFor('<d@x>', 60_000);
  assert.equal(store.pendingWaits(), 1);
  store.add('<d@x>', m('4'));
  assert.equal((await waiting)?.from, '4');
  assert.equal(store.pendingWaits(), 0);
});

test('inbound headers: unfolded, lowercase names, first occurrence, bounded block', () => {
  const h = parseHeaderBlock(
    Buffer.from('Subject: a\r\n\tb\r\nX-A: 1\r\nx-a: 2\r\n__proto__: p\r\nnot a field\r\n\r\nBody: no\r\n'),
  );
  assert.equal(h['subject'], 'a\tb');
  assert.equal(h['x-a'], '1');
  assert.equal(h['body'], undefined);
  assert.equal(Object.getOwnPropertyDescriptor(h, '__proto__')?.value, 'p');
  assert.equal(Object.getPrototypeOf(h), Object.prototype);
  const long = Buffer.from(`X-Long: ${'y'.repeat(MAX_HEADER_BYTES)}`);
  assert.deepEqual(
    parseHeaderBlock(long.subarray(0, MAX_HEADER_BYTES)),
    {},
    'an incomplete line is not a field',
  );
});
