import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { requirePeer } from '../../_support/peers.ts';
import { APPLICATION, CAMILLE, LOUIS, runPython, startMss } from './_mss.ts';

/** The envelope rules of the sandbox operator's submission server, seen from Python's smtplib. */
const SCRIPT = String.raw`
import base64, json, os, smtplib, ssl
E = os.environ
ctx = ssl.create_default_context(cafile=E['CA'])
if E.get('CERT'):
    ctx.load_cert_chain(E['CERT'], E['KEY'])
s = smtplib.SMTP_SSL('127.0.0.1', int(E['PORT']), context=ctx, timeout=20)
s.ehlo()
out = {}
if E.get('TOKEN'):
    out['auth'] = s.docmd('AUTH', 'XOAUTH2 ' + base64.b64encode(('user=%s\x01auth=Bearer %s\x01\x01' % (E['USER'], E['TOKEN'])).encode()).decode())[0]
out['mail'] = s.docmd('MAIL', 'FROM:<%s>' % E['FROM'])[0]
if out['mail'] == 250:
    out['rcpt'] = s.docmd('RCPT', 'TO:<%s>' % E['TO'])[0]
    if out['rcpt'] == 250:
        s.putcmd('DATA')
        out['data'] = s.getreply()[0]
        body = 'Subject: t\r\n\r\n' + ('x' * 76 + '\r\n') * int(E.get('LINES', '1')) + '.\r\n'
        s.send(body.encode())
        out['end'] = s.getreply()[0]
s.close()
print(json.dumps(out))
`;

test('sandbox SMTP envelope: the sender must be the authenticated mailbox (553), recipients mailboxes of the operator (550), the size capped (552)', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t, { maxMessageBytes: 4096 });
  const base = { CA: m.caFile, PORT: String(m.port('mss.smtp')), USER: CAMILLE.mailboxes[0] };
  const token = await m.token({ rpps: CAMILLE.rpps });
  const other = await runPython(SCRIPT, {
    ...base,
    TOKEN: token,
    FROM: LOUIS.mailboxes[0],
    TO: LOUIS.mailboxes[0],
  });
  assert.deepEqual(other, { auth: 235, mail: 553 });
  const unknown = await runPython(SCRIPT, {
    ...base,
    TOKEN: token,
    FROM: CAMILLE.mailboxes[0],
    TO: 'nobody@sandbox.mssante.fr',
  });
  assert.deepEqual(unknown, { auth: 235, mail: 250, rcpt: 550 });
  const big = await runPython(SCRIPT, {
    ...base,
    TOKEN: token,
    FROM: CAMILLE.mailboxes[0],
    TO: LOUIS.mailboxes[0],
    LINES: '200',
  });
  assert.deepEqual(big, { auth: 235, mail: 250, rcpt: 250, data: 354, end: 552 });
  const ok = await runPython(SCRIPT, {
    ...base,
    TOKEN: token,
    FROM: CAMILLE.mailboxes[0],
    TO: LOUIS.mailboxes[0],
  });
  assert.deepEqual(ok, { auth: 235, mail: 250, rcpt: 250, data: 354, end: 250 });
  const anonymous = await runPython(SCRIPT, { ...base, FROM: CAMILLE.mailboxes[0], TO: LOUIS.mailboxes[0] });
  assert.deepEqual(anonymous, { mail: 530 }, 'no AUTH and no client certificate: 530');
  assert.equal(m.stats()['smtp.delivered'], 1);
});

test('sandbox SMTP AUTH_CLI: the registered partner certificate sends from the applicative mailbox without AUTH; not from a professional mailbox', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t);
  const cert = join(m.dir, 'partner.crt');
  const key = join(m.dir, 'partner.key');
  writeFileSync(cert, m.sandbox.pki.partner.tls.certPem);
  writeFileSync(key, m.sandbox.pki.partner.tls.keyPem, { mode: 0o600 });
  const base = {
    CA: m.caFile,
    PORT: String(m.port('mss.smtp')),
    CERT: cert,
    KEY: key,
    TO: CAMILLE.mailboxes[0],
  };
  assert.deepEqual(await runPython(SCRIPT, { ...base, FROM: APPLICATION }), {
    mail: 250,
    rcpt: 250,
    data: 354,
    end: 250,
  });
  assert.deepEqual(await runPython(SCRIPT, { ...base, FROM: LOUIS.mailboxes[0] }), { mail: 530 });
  const server = join(m.dir, 'server.crt');
  const serverKey = join(m.dir, 'server.key');
  writeFileSync(server, m.sandbox.pki.server.certPem);
  writeFileSync(serverKey, m.sandbox.pki.server.keyPem, { mode: 0o600 });
  assert.deepEqual(
    await runPython(SCRIPT, { ...base, CERT: server, KEY: serverKey, FROM: APPLICATION }),
    { mail: 530 },
    'a certificate of the same CA that is not registered for the mailbox',
  );
});
