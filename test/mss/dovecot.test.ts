import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { silentLogger } from '../../src/log.ts';
import { openMssImap } from '../../src/mss/imap.ts';
import { sendMssMessage } from '../../src/mss/smtp.ts';
import type { MssImapOptions } from '../../src/mss/types.ts';
import { DEFAULT_PSC_PROFESSIONALS } from '../../src/sandbox/psc/professionals.ts';
import { startPscStub } from '../../src/sandbox/psc/start-psc.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { testPki } from '../_support/credentials.ts';
import { startDovecot } from '../_support/dovecot.ts';
import { type MtaRoute, startTestMta } from '../_support/mta.ts';
import { requirePeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';

const [camille, louis] = DEFAULT_PSC_PROFESSIONALS as [
  (typeof DEFAULT_PSC_PROFESSIONALS)[0],
  (typeof DEFAULT_PSC_PROFESSIONALS)[0],
];
const MAILBOX = camille.mailboxes[0]!;

async function setup(t: TestContext, withSubmission = false) {
  const pki = await testPki();
  const caPem = pki.ca.certificate.toString();
  const psc = await startPscStub({
    host: '127.0.0.1',
    port: 0,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem },
    log: silentLogger,
    stateDir: tempDir(t, 'passerelle-psc-'),
  });
  t.after(() => psc.close());
  const routes: Record<string, MtaRoute> = {};
  const mta = withSubmission ? await startTestMta(t, routes) : undefined;
  const dovecot = await startDovecot(t, {
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    introspection: { url: psc.endpoints.introspection, ...psc.introspectionClient },
    introspectionCa: caPem,
    ...(mta ? { submission: { relayPort: mta.port } } : {}),
  });
  if (dovecot.lmtpPort) routes['sandbox.mssante.fr'] = { kind: 'lmtp', port: dovecot.lmtpPort };
  const options = (token: () => Promise<string>, implicit = true): MssImapOptions => ({
    url: implicit ? `imaps://127.0.0.1:${dovecot.imapsPort}` : `imap://127.0.0.1:${dovecot.imapPort}`,
    mailbox: MAILBOX,
    ca: caPem,
    auth: { kind: 'xoauth2', accessToken: token },
    timeoutMs: 10_000,
  });
  return { pki, psc, dovecot, caPem, options, mta };
}

function message(attachment: Buffer): string {
  const b64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: ${louis.mailboxes[0]}`,
    `To: ${MAILBOX}`,
    'Subject: Compte rendu',
    'Date: Mon, 15 Jun 2026 10:00:00 +0000',
    'Message-ID: <t1@sandbox.mssante.fr>',
    'X-MSS-NIL: TEST-NIL',
    'X-MSS-CODECDA: 11488-4',
    'X-MSS-INS: O',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bonjour',
    '--b1',
    'Content-Type: application/octet-stream; name="../../etc/cr.bin"',
    'Content-Disposition: attachment; filename="../../etc/cr.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--b1--',
    '',
  ].join('\r\n');
}

test('Dovecot: XOAUTH2 over implicit TLS and STARTTLS; folders, append, list, fetchToDir, seen, move, delete', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { psc, options } = await setup(t);
  const token = () => psc.mintAccessToken({ rpps: camille.rpps, expiresInSeconds: 300 });
  const imap = await openMssImap(options(token));
  t.after(() => imap.close());
  const folders = (await imap.folders()).map((f) => f.path).sort();
  assert.deepEqual(folders, ['INBOX', 'Sent', 'Trash']);
  const attachment = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  const raw = message(attachment);
  const uid = await imap.append('INBOX', raw);
  assert.ok(uid && uid > 0);
  const listed = await imap.list({ folder: 'INBOX' });
  assert.equal(listed.length, 1);
  const m = listed[0]!;
  assert.equal(m.uid, uid);
  assert.equal(m.subject, 'Compte rendu');
  assert.deepEqual(m.from, [louis.mailboxes[0]]);
  assert.equal(m.attachments, 1);
  assert.deepEqual(m.mss, { nil: 'TEST-NIL', codecda: '11488-4', ins: 'O' });
  assert.ok(!m.flags.includes('\\Seen'));
  const dir = tempDir(t);
  const got = await imap.fetchToDir(uid, dir);
  assert.equal(got.messageFile, join(dir, `${uid}.eml`));
  assert.equal(readFileSync(got.messageFile, 'utf8'), raw);
  assert.equal(got.attachments.length, 1);
  assert.equal(got.attachments[0]!.file, join(dir, 'cr.bin'));
  assert.deepEqual(readFileSync(got.attachments[0]!.file), attachment);
  const again = await imap.fetchToDir(uid, dir);
  assert.equal(again.messageFile, join(dir, `${uid}-1.eml`));
  assert.equal(again.attachments[0]!.file, join(dir, 'cr-1.bin'));
  await imap.markSeen(uid);
  assert.deepEqual((await imap.list({ unseen: true })).length, 0);
  await imap.move(uid, 'Trash');
  assert.equal((await imap.list()).length, 0);
  const inTrash = await imap.list({ folder: 'Trash' });
  assert.equal(inTrash.length, 1);
  await imap.delete(inTrash[0]!.uid, 'Trash');
  assert.equal((await imap.list({ folder: 'Trash' })).length, 0);
  await rejectsCode(imap.markSeen(999), 'ERR_MSS_MESSAGE_NOT_FOUND');
  await rejectsCode(imap.list({ folder: 'Nope' }), 'ERR_MSS_FOLDER_NOT_FOUND');
  await rejectsCode(imap.move(1, 'Nope'), 'ERR_MSS_FOLDER_NOT_FOUND');
  const starttls = await openMssImap(options(token, false));
  t.after(() => starttls.close());
  assert.equal((await starttls.folders()).length, 3);
});

test('Dovecot submission: a message sent with a PSC token (over 512 octets of AUTH line: after an empty 334) arrives in the mailbox', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { psc, dovecot, caPem, options, mta } = await setup(t, true);
  const token = () => psc.mintAccessToken({ rpps: camille.rpps, expiresInSeconds: 300 });
  assert.ok((await token()).length > 400, 'a PSC token makes the inline AUTH line too long');
  for (const url of [
    `smtps://127.0.0.1:${dovecot.submissionsPort}`,
    `smtp://127.0.0.1:${dovecot.submissionPort}`,
  ]) {
    const sent = await sendMssMessage(
      { url, mailbox: MAILBOX, ca: caPem, auth: { kind: 'xoauth2', accessToken: token }, timeoutMs: 10_000 },
      { to: [MAILBOX], subject: `Soumission ${url.slice(0, 5)}`, text: 'Bonjour', nil: 'TEST-NIL' },
    );
    assert.deepEqual(sent.accepted, [MAILBOX]);
  }
  assert.equal(mta?.deliveries.length, 2);
  const imap = await openMssImap(options(token));
  t.after(() => imap.close());
  const listed = await imap.list({ folder: 'INBOX' });
  assert.deepEqual(listed.map((m) => m.subject).sort(), ['Soumission smtp:', 'Soumission smtps']);
  assert.deepEqual(listed[0]?.mss, { nil: 'TEST-NIL' });
  const expired = () =>
    psc.mintAccessToken({ rpps: camille.rpps, issuedAt: Date.now() - 7_200_000, expiresInSeconds: 300 });
  const e = await rejectsCode(
    sendMssMessage(
      {
        url: `smtps://127.0.0.1:${dovecot.submissionsPort}`,
        mailbox: MAILBOX,
        ca: caPem,
        auth: { kind: 'xoauth2', accessToken: expired },
        timeoutMs: 10_000,
      },
      { to: [MAILBOX], subject: 'Refusé', nil: 'TEST-NIL' },
    ),
    'ERR_MSS_TOKEN_REJECTED',
  );
  assert.equal(e.details['responseCode'], 535);
  assert.equal(e.details['status'], '401', 'the status of the RFC 7628 challenge');
});

test('Dovecot: refused tokens (expired, another professional) after the RFC 7628 exchange; untrusted CA', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const { psc, options, pki, dovecot } = await setup(t);
  const hour = 3600_000;
  const expired = () =>
    psc.mintAccessToken({ rpps: camille.rpps, issuedAt: Date.now() - 2 * hour, expiresInSeconds: 300 });
  const e1 = await rejectsCode(openMssImap(options(expired)), 'ERR_MSS_TOKEN_REJECTED');
  assert.equal(e1.details['protocol'], 'imap');
  assert.equal(e1.details['status'], '401', 'the status of the RFC 7628 challenge');
  const other = () => psc.mintAccessToken({ rpps: louis.rpps });
  const e2 = await rejectsCode(openMssImap(options(other, false)), 'ERR_MSS_TOKEN_REJECTED');
  assert.equal(e2.details['protocol'], 'imap');
  assert.match(dovecot.log(), /camille\.martin@sandbox\.mssante\.fr/);
  for (const e of [e1, e2]) assert.doesNotMatch(JSON.stringify(e.toJSON()) + e.message, /eyJ/);
  const wrongCa = {
    ...options(() => psc.mintAccessToken({ rpps: camille.rpps })),
    ca: pki.rogueCa.certificate.toString(),
  };
  let asked = false;
  await rejectsCode(
    openMssImap({
      ...wrongCa,
      auth: {
        kind: 'xoauth2',
        accessToken: async () => {
          asked = true;
          return 'x';
        },
      },
    }),
    'ERR_MSS_TLS',
  );
  await rejectsCode(
    openMssImap({
      ...wrongCa,
      url: wrongCa.url
        .replace('imaps://127.0.0.1:', 'imap://127.0.0.1:')
        .replace(/:\d+$/, `:${dovecot.imapPort}`),
    }),
    'ERR_MSS_TLS',
  );
  assert.equal(asked, false, 'no token asked for before TLS is verified');
  await rejectsCode(
    openMssImap({ ...wrongCa, ca: options(expired).ca!, servername: 'elsewhere.example' }),
    'ERR_MSS_TLS',
  );
});

test('Dovecot: AUTH_CLI, AUTHENTICATE EXTERNAL with a client certificate of the mailbox; another mailbox refused', async (t) => {
  if (!requirePeer(t, 'dovecot')) return;
  const pki = await testPki();
  const caPem = pki.ca.certificate.toString();
  const dovecot = await startDovecot(t, {
    cert: pki.server.certPem,
    key: pki.server.keyPem,
    introspection: { url: 'https://127.0.0.1:1/introspect', clientId: 'unused', clientSecret: 'unused' },
    introspectionCa: caPem,
    clientCa: caPem,
  });
  const app = 'application@sandbox.mssante.fr';
  const cert = await pki.issue({ subject: `C=FR, O=Passerelle Test, CN=${app}`, usage: 'tls-client' });
  const external = { kind: 'external' as const, cert: cert.certPem, key: cert.keyPem };
  const url = `imaps://127.0.0.1:${dovecot.imapsPort}`;
  const imap = await openMssImap({ url, mailbox: app, ca: caPem, auth: external, timeoutMs: 10_000 });
  t.after(() => imap.close());
  assert.deepEqual((await imap.folders()).map((f) => f.path).sort(), ['INBOX', 'Sent', 'Trash']);
  const starttls = await openMssImap({
    url: `imap://127.0.0.1:${dovecot.imapPort}`,
    mailbox: app,
    ca: caPem,
    auth: external,
    timeoutMs: 10_000,
  });
  await starttls.close();
  const e = await rejectsCode(
    openMssImap({ url, mailbox: MAILBOX, ca: caPem, auth: external, timeoutMs: 10_000 }),
    'ERR_MSS_AUTH_FAILED',
  );
  assert.equal(e.details['protocol'], 'imap');
  const rogue = await pki.issue({
    subject: `C=FR, O=Rogue, CN=${app}`,
    usage: 'tls-client',
    issuer: pki.rogueCa,
  });
  // Dovecot asks for a certificate without requiring one: an untrusted one gives no user, so EXTERNAL fails.
  await rejectsCode(
    openMssImap({
      url,
      mailbox: app,
      ca: caPem,
      auth: { kind: 'external', cert: rogue.certPem, key: rogue.keyPem },
      timeoutMs: 10_000,
    }),
    'ERR_MSS_AUTH_FAILED',
  );
});
