import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { createTransport } from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { type InboundReceiver, startInboundReceiver } from '../../../src/mss/conformance/inbound.ts';
import type { MssRelayOptions } from '../../../src/sandbox/mss/module.ts';
import { mssModule } from '../../../src/sandbox/mss/module.ts';
import { testPki } from '../../_support/credentials.ts';
import { CAMILLE, LOUIS, type MssSandbox, startMss } from './_mss.ts';

const pki = await testPki();
const APP = 'conformance@app.example';

async function receiver(t: TestContext): Promise<InboundReceiver> {
  const r = await startInboundReceiver({
    host: '127.0.0.1',
    port: 0,
    address: APP,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
  });
  t.after(() => r.close());
  return r;
}

/** Camille submits through the sandbox (implicit TLS, XOAUTH2) with nodemailer, an independent client. */
async function submit(t: TestContext, m: MssSandbox, to: readonly string[], messageId: string) {
  const transport = createTransport({
    host: '127.0.0.1',
    port: m.port('mss.smtp'),
    secure: true,
    tls: { ca: m.sandbox.pki.ca.certPem, servername: 'localhost', minVersion: 'TLSv1.2' },
    auth: { type: 'OAuth2', user: CAMILLE.mailboxes[0], accessToken: await m.token({ rpps: CAMILLE.rpps }) },
  });
  t.after(() => transport.close());
  const raw = [
    `From: <${CAMILLE.mailboxes[0]}>`,
    `To: ${to.map((a) => `<${a}>`).join(', ')}`,
    'Subject: interface operateur',
    `Message-ID: ${messageId}`,
    'X-MSS-NIL: PASSERELLE-CONFORMANCE',
    '',
    'Bonjour.',
    '',
  ].join('\r\n');
  return transport.sendMail({ envelope: { from: CAMILLE.mailboxes[0], to: [...to] }, raw });
}

/** Whether the sandbox stored a message carrying `needle` (files under its mss state). */
function storedLocally(m: MssSandbox, needle: string): boolean {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  return walk(join(m.dir, 'state', 'mss')).some((f) => readFileSync(f).includes(needle));
}

function relayTo(r: { port: number }, extra: Partial<MssRelayOptions> = {}): MssRelayOptions {
  return { host: '127.0.0.1', port: r.port, ca: pki.ca.certPem, domains: ['app.example'], ...extra };
}

test('sandbox relay: a message for the application is relayed to its SMTP receiver over STARTTLS (TLS ≥ 1.2), X-MSS-NIL kept, a Received line added; the local recipient gets it too', async (t) => {
  const r = await receiver(t);
  const m = await startMss(t, { relay: relayTo(r) });
  const id = '<relay-1@passerelle.invalid>';
  const info = await submit(t, m, [APP, LOUIS.mailboxes[0]], id);
  assert.match(String(info.response), /^250 /);
  const got = await r.waitFor(id, 10_000);
  assert.ok(got, 'relayed');
  t.diagnostic(`relayed over ${got.tlsProtocol}`);
  assert.ok(got.tlsProtocol === 'TLSv1.2' || got.tlsProtocol === 'TLSv1.3', String(got.tlsProtocol));
  assert.equal(got.from, CAMILLE.mailboxes[0]);
  assert.equal(got.headers['x-mss-nil'], 'PASSERELLE-CONFORMANCE');
  assert.equal(got.headers['subject'], 'interface operateur');
  assert.match(got.headers['received'] ?? '', /by smtp\.sandbox\.mssante\.fr with ESMTPSA id /);
  assert.equal(got.headers['return-path'], undefined, 'Return-Path is for the final delivery only');
  assert.ok(storedLocally(m, 'relay-1@passerelle.invalid'), "Louis's INBOX has it");
  assert.equal(m.stats()['smtp.relayed'], 1);
});

/** A next hop on smtp-server with `options`; counts the messages it takes and their TLS versions. */
async function hop(t: TestContext, options: SMTPServerOptions, taken: (string | null)[]) {
  const protocols = new Map<string, string | null>();
  const server = new SMTPServer({
    secure: false,
    key: pki.server.keyPem,
    cert: pki.server.certPem,
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      taken.push(protocols.get(session.id) ?? null);
      stream.resume();
      stream.once('end', () => callback());
    },
    onSecure(socket, session, callback) {
      protocols.set(session.id, (socket as TLSSocket).getProtocol());
      callback();
    },
    ...options,
  });
  server.on('error', () => undefined); // the refused handshakes
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port };
}

test('sandbox relay: a next hop that speaks TLS 1.2 at most gets the message over TLS 1.2', async (t) => {
  const taken: (string | null)[] = [];
  const tls12 = await hop(t, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, taken);
  const m = await startMss(t, { relay: relayTo(tls12) });
  await submit(t, m, [APP], '<relay-tls12@passerelle.invalid>');
  assert.deepEqual(taken, ['TLSv1.2']);
});

test('sandbox relay: fail closed — a next hop without STARTTLS, or with TLS 1.0/1.1 only, gets nothing (451)', async (t) => {
  const taken: (string | null)[] = [];
  const plain = await hop(t, { disabledCommands: ['AUTH', 'STARTTLS'] }, taken);
  const old = await hop(
    t,
    { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
    taken,
  );
  for (const [what, port] of [
    ['no STARTTLS', plain.port],
    ['TLS 1.1 at most', old.port],
  ] as const) {
    const m = await startMss(t, { relay: relayTo({ port }) });
    await assert.rejects(
      submit(t, m, [APP], `<relay-${port}@passerelle.invalid>`),
      { responseCode: 451 },
      what,
    );
    assert.equal(m.stats()['smtp.relayFailed'], 1, what);
  }
  assert.deepEqual(taken, [], 'no message went out in clear or over TLS < 1.2');
});

test('sandbox relay: relay down → 451 4.4.0 to the submitter, nothing stored (its retry delivers every recipient once)', async (t) => {
  const down = await receiver(t);
  await down.close();
  const m = await startMss(t, { relay: relayTo(down) });
  await assert.rejects(
    submit(t, m, [APP, LOUIS.mailboxes[0]], '<relay-down@passerelle.invalid>'),
    (e: unknown) => {
      assert.equal((e as { responseCode?: number }).responseCode, 451);
      assert.match(String((e as { response?: string }).response), /4\.4\.0/);
      return true;
    },
  );
  assert.equal(storedLocally(m, 'relay-down@passerelle.invalid'), false);
  assert.equal(m.stats()['smtp.relayFailed'], 1);
  assert.equal(m.stats()['smtp.delivered'] ?? 0, 0);
});

test('sandbox relay: fail closed — a next hop whose certificate is untrusted, or names another host than the IP relayed to → 451, nothing delivered', async (t) => {
  const r = await receiver(t);
  const m = await startMss(t, { relay: relayTo(r, { ca: pki.rogueCa.certPem }) });
  await assert.rejects(submit(t, m, [APP], '<relay-untrusted@passerelle.invalid>'), { responseCode: 451 });
  assert.equal(await r.waitFor('relay-untrusted@passerelle.invalid', 0), undefined);
  // Trusted chain, other identity: relayed to the IP literal 127.0.0.1, the certificate must name it.
  const other = await pki.issue({
    subject: 'CN=other.example',
    usage: 'tls-server',
    dnsNames: ['other.example'],
  });
  const wrongName = await startInboundReceiver({
    host: '127.0.0.1',
    port: 0,
    address: APP,
    tls: { key: other.keyPem, cert: other.certPem },
  });
  t.after(() => wrongName.close());
  const m2 = await startMss(t, { relay: relayTo(wrongName) });
  await assert.rejects(submit(t, m2, [APP], '<relay-name@passerelle.invalid>'), { responseCode: 451 });
  assert.equal(await wrongName.waitFor('relay-name@passerelle.invalid', 0), undefined);
  const reasons = [m, m2].map((x) =>
    String(x.log.entries.find((e) => e.msg === 'mss smtp relay failed')?.fields['reason']),
  );
  assert.match(reasons[0] ?? '', /certificate/i);
  assert.match(reasons[1] ?? '', /IP: 127\.0\.0\.1 is not in the cert's list/);
});

test('sandbox relay: with `domains`, another domain is still refused (550); without relay, the default, 550', async (t) => {
  const r = await receiver(t);
  const m = await startMss(t, { relay: relayTo(r) });
  await assert.rejects(submit(t, m, ['someone@elsewhere.example'], '<relay-other@passerelle.invalid>'), {
    responseCode: 550,
  });
  const plain = await startMss(t);
  await assert.rejects(submit(t, plain, [APP], '<relay-none@passerelle.invalid>'), { responseCode: 550 });
  assert.throws(() => mssModule({ relay: { host: '127.0.0.1', port: 0 } }), /relay\.port/);
  assert.throws(
    () => mssModule({ relay: { host: 'h', port: 25, domains: ['not a domain'] } }),
    /relay domain/,
  );
});
