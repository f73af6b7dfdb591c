import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { format } from 'node:util';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { sendMssMessage } from '../../src/mss/smtp.ts';
import type { MssOutgoingMessage, MssSmtpOptions } from '../../src/mss/types.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { testPki } from '../_support/credentials.ts';
import { tempDir } from '../_support/tmp.ts';
import { sampleCda } from './cda-sample.ts';

const MAILBOX = 'camille.martin@sandbox.mssante.fr';
const GOOD = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMDAwMTIzNDU2NSJ9.c2lnbmF0dXJl';

interface Received {
  raw: string;
  from: string | undefined;
  to: string[];
}

/** npm smtp-server (an independent implementation) with XOAUTH2 only; `lines` the commands it logged. */
async function startSmtp(t: TestContext, implicit: boolean, extra: Partial<SMTPServerOptions> = {}) {
  const pki = await testPki();
  const received: Received[] = [];
  const lines: string[] = [];
  const auths: { username: string; token: string | undefined }[] = [];
  const log = (_meta: unknown, ...args: unknown[]) => void lines.push(format(...(args as [string])));
  const server = new SMTPServer({
    secure: implicit,
    key: pki.server.keyPem,
    cert: pki.server.certPem,
    authMethods: ['XOAUTH2'],
    logger: { info: log, debug: log, warn: log, error: log, trace: log, fatal: log } as never,
    onAuth(auth, _session, cb) {
      auths.push({ username: auth.username ?? '', token: auth.accessToken });
      if (auth.accessToken === GOOD && auth.username === MAILBOX) return cb(null, { user: auth.username });
      return cb(null, { data: { status: '401', schemes: 'bearer' } } as never);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        cb();
      });
    },
    ...extra,
  });
  server.on('error', (e: Error) => void lines.push(`server error: ${e.message}`)); // e.g. a client leaving mid-handshake
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.server.address() as { port: number }).port;
  const options = (token = GOOD): MssSmtpOptions => ({
    url: `${implicit ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    mailbox: MAILBOX,
    ca: pki.ca.certificate.toString(),
    auth: { kind: 'xoauth2', accessToken: async () => token },
    timeoutMs: 10_000,
  });
  return { received, lines, auths, options, pki };
}

function message(dir: string, extra: Partial<MssOutgoingMessage> = {}): MssOutgoingMessage {
  const bin = join(dir, 'scan.pdf');
  writeFileSync(bin, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13) % 256)));
  const cda = join(dir, 'cr.xml');
  writeFileSync(cda, sampleCda());
  return {
    to: ['louis.bernard@sandbox.mssante.fr'],
    cc: ['ines.petit@sandbox.mssante.fr'],
    subject: 'Compte rendu',
    text: 'Bonjour',
    attachments: [{ path: bin, contentType: 'application/pdf' }],
    cda: [cda],
    nil: 'PASSERELLE-TEST',
    ...extra,
  };
}

for (const implicit of [false, true]) {
  test(`smtp ${implicit ? 'implicit TLS' : 'STARTTLS'}: XOAUTH2 initial response inline, MSSanté headers, attachments`, async (t) => {
    const srv = await startSmtp(t, implicit);
    const dir = tempDir(t);
    const result = await sendMssMessage(srv.options(), message(dir, { fin: true }));
    assert.deepEqual([...result.accepted].sort(), [
      'ines.petit@sandbox.mssante.fr',
      'louis.bernard@sandbox.mssante.fr',
    ]);
    assert.deepEqual(result.rejected, []);
    assert.match(result.messageId, /^<.+@.+>$/);
    assert.deepEqual(srv.auths, [{ username: MAILBOX, token: GOOD }]);
    const auth = srv.lines.filter((l) => /AUTH/i.test(l) && /^C:/.test(l.trim()));
    assert.equal(auth.length, 1, `one AUTH line, no continuation: ${JSON.stringify(auth)}`);
    assert.match(auth[0]!, /AUTH XOAUTH2 \S+/, 'the initial response rides on the AUTH line');
    assert.ok(!srv.lines.join('\n').includes(GOOD), 'the server log does not show the token');
    const [mail] = srv.received;
    assert.ok(mail);
    assert.equal(mail.from, MAILBOX);
    const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'));
    assert.match(head, /^X-MSS-NIL: PASSERELLE-TEST$/m);
    assert.match(head, /^X-MSS-CODECDA: 11488-4$/m);
    assert.match(head, /^X-MSS-INS: O$/m);
    assert.match(head, /^X-MSS-MES: FIN$/m);
    assert.match(mail.raw, /filename=IHE_XDM\.ZIP/);
    assert.match(mail.raw, /filename=scan\.pdf/);
  });
}

test('smtp: a refused token is ERR_MSS_TOKEN_REJECTED after the RFC 7628 exchange (535, status 401)', async (t) => {
  const srv = await startSmtp(t, false);
  const e = await rejectsCode(
    sendMssMessage(srv.options('bad.token'), message(tempDir(t))),
    'ERR_MSS_TOKEN_REJECTED',
  );
  assert.equal(e.details['protocol'], 'smtp');
  assert.equal(e.details['responseCode'], 535);
  assert.equal(e.details['status'], '401');
  assert.equal(srv.received.length, 0);
});

test('smtp: fails closed without AUTH XOAUTH2 (no token sent); TLS and address checks', async (t) => {
  const plain = await startSmtp(t, false, { authMethods: ['PLAIN'] });
  let asked = false;
  const opts = plain.options();
  await rejectsCode(
    sendMssMessage(
      {
        ...opts,
        auth: {
          kind: 'xoauth2',
          accessToken: async () => {
            asked = true;
            return GOOD;
          },
        },
      },
      message(tempDir(t)),
    ),
    'ERR_MSS_UNSUPPORTED',
  );
  assert.equal(asked, false);
  assert.equal(plain.auths.length, 0);
  const srv = await startSmtp(t, true);
  await rejectsCode(
    sendMssMessage({ ...srv.options(), ca: srv.pki.rogueCa.certificate.toString() }, message(tempDir(t))),
    'ERR_MSS_TLS',
  );
  await rejectsCode(
    sendMssMessage(srv.options(), message(tempDir(t), { to: ['not an address'] })),
    'ERR_MSS_ADDRESS_INVALID',
  );
  await rejectsCode(
    sendMssMessage(srv.options(), message(tempDir(t), { to: [] })),
    'ERR_MSS_ADDRESS_INVALID',
  );
  await rejectsCode(
    sendMssMessage(srv.options(), message(tempDir(t), { extraHeaders: { 'X-Evil': 'a\r\nBcc: x@y.fr' } })),
    'ERR_USAGE',
  );
  await rejectsCode(
    sendMssMessage({ ...srv.options(), url: 'smtp://127.0.0.1:1' }, message(tempDir(t))),
    'ERR_MSS_CONNECT',
  );
  assert.equal(srv.received.length, 0);
});

test('smtp: AUTH_CLI sends the TLS client certificate and no AUTH command', async (t) => {
  const pki = await testPki();
  const peers: string[] = [];
  const srv = await startSmtp(t, false, {
    authOptional: true,
    requestCert: true,
    rejectUnauthorized: true,
    ca: pki.ca.certificate.toString(),
    onSecure(socket, _session, cb) {
      peers.push(String((socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN));
      cb();
    },
  } as Partial<SMTPServerOptions>);
  const app = await pki.issue({
    subject: 'C=FR, O=Passerelle Test, CN=application@sandbox.mssante.fr',
    usage: 'tls-client',
  });
  const result = await sendMssMessage(
    { ...srv.options(), auth: { kind: 'external', cert: app.certPem, key: app.keyPem } },
    message(tempDir(t), { cda: [], attachments: [] }),
  );
  assert.equal(result.rejected.length, 0);
  assert.deepEqual(peers, ['application@sandbox.mssante.fr']);
  assert.equal(srv.auths.length, 0);
  assert.ok(!srv.lines.some((l) => /^C:.*AUTH/i.test(l.trim())));
  const head = srv.received[0]!.raw.split('\r\n\r\n')[0]!;
  assert.match(head, /^X-MSS-NIL: PASSERELLE-TEST$/m);
  assert.doesNotMatch(head, /X-MSS-CODECDA|X-MSS-INS|X-MSS-MES/);
});
