import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requirePeer } from '../../_support/peers.ts';
import { CAMILLE, LOUIS, type MssSandbox, runPython, startMss } from './_mss.ts';

/**
 * Python's smtplib and imaplib (standard library) against the sandbox operator: submission
 * with STARTTLS, AUTH XOAUTH2 with the initial response, the RFC 7628 failure exchange, and the
 * message read back over IMAP by its recipient, headers as sent.
 */
const PRELUDE = String.raw`
import base64, imaplib, json, os, smtplib, ssl, sys
E = os.environ
ctx = ssl.create_default_context(cafile=E['CA'])
def xo(user, token):
    return base64.b64encode(('user=%s\x01auth=Bearer %s\x01\x01' % (user, token)).encode()).decode()
out = {}
`;

const SEND = `${PRELUDE}
s = smtplib.SMTP('127.0.0.1', int(E['PORT']), timeout=20)
s.ehlo()
out['before'] = sorted(s.esmtp_features.keys())
out['authBeforeTls'] = list(s.docmd('AUTH', 'XOAUTH2 ' + xo(E['FROM'], E['TOKEN'])))[0]
s.starttls(context=ctx)
s.ehlo()
out['after'] = sorted(s.esmtp_features.keys())
out['authLine'] = s.esmtp_features.get('auth', '')
out['auth'] = list(s.docmd('AUTH', 'XOAUTH2 ' + xo(E['FROM'], E['TOKEN'])))[0]
msg = ('From: %s\\r\\nTo: %s\\r\\nSubject: Compte rendu\\r\\nX-MSS-NIL: FORGED-BY-CLIENT\\r\\nX-MSS-INS: O\\r\\n\\r\\nBonjour.\\r\\n' % (E['FROM'], E['TO']))
out['refused'] = s.sendmail(E['FROM'], [E['TO']], msg)
s.quit()
m = imaplib.IMAP4_SSL('127.0.0.1', int(E['IMAPS']), ssl_context=ctx)
typ, _ = m.authenticate('XOAUTH2', lambda _: ('user=%s\x01auth=Bearer %s\x01\x01' % (E['TO'], E['TO_TOKEN'])).encode())
out['imapAuth'] = typ
typ, data = m.select('INBOX')
n = data[0].decode()
typ, data = m.fetch(n, '(BODY.PEEK[HEADER.FIELDS (X-MSS-NIL X-MSS-INS SUBJECT)])')
out['headers'] = data[0][1].decode()
m.logout()
print(json.dumps(out))
`;

const AUTH_ONLY = `${PRELUDE}
s = smtplib.SMTP_SSL('127.0.0.1', int(E['PORT']), context=ctx, timeout=20) if E.get('IMPLICIT') else smtplib.SMTP('127.0.0.1', int(E['PORT']), timeout=20)
if not E.get('IMPLICIT'):
    s.starttls(context=ctx)
s.ehlo()
code, text = s.docmd('AUTH', 'XOAUTH2 ' + E['RESPONSE'] if E.get('RESPONSE') else 'XOAUTH2 ' + xo(E['FROM'], E['TOKEN']))
out['first'] = [code, text.decode()]
if code == 334:
    out['challenge'] = json.loads(base64.b64decode(text))
    code2, text2 = s.docmd('')
    out['final'] = [code2, text2.decode()]
s.close()
print(json.dumps(out))
`;

async function auth(m: MssSandbox, env: Record<string, string>, implicit = false) {
  return runPython(AUTH_ONLY, {
    CA: m.caFile,
    PORT: String(m.port(implicit ? 'mss.smtp' : 'mss.smtp.starttls')),
    FROM: CAMILLE.mailboxes[0],
    ...(implicit ? { IMPLICIT: '1' } : {}),
    ...env,
  });
}

test('smtplib: no AUTH before STARTTLS, XOAUTH2 after it, the message reaches the recipient over IMAP with its X-MSS-* headers as sent', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t);
  const out = await runPython(SEND, {
    CA: m.caFile,
    PORT: String(m.port('mss.smtp.starttls')),
    IMAPS: String(m.port('mss.imap')),
    FROM: CAMILLE.mailboxes[0],
    TO: LOUIS.mailboxes[0],
    TOKEN: await m.token({ rpps: CAMILLE.rpps }),
    TO_TOKEN: await m.token({ rpps: LOUIS.rpps }),
  });
  assert.ok(!(out['before'] as string[]).includes('auth'), 'no AUTH offered in clear text');
  assert.ok((out['before'] as string[]).includes('starttls'));
  assert.equal(out['authBeforeTls'], 500, 'AUTH before TLS: not a command there (500)');
  assert.match(String(out['authLine']), /XOAUTH2/);
  assert.equal(out['auth'], 235);
  assert.deepEqual(out['refused'], {});
  assert.equal(out['imapAuth'], 'OK');
  const headers = String(out['headers']);
  assert.match(headers, /X-MSS-NIL: FORGED-BY-CLIENT/, 'a forged X-MSS-NIL passes through as sent');
  assert.match(headers, /X-MSS-INS: O/);
  assert.match(headers, /Subject: Compte rendu/);
  assert.equal(m.stats()['smtp.delivered'], 1);
});

test('smtplib over implicit TLS: a valid PSC token is accepted (235)', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t);
  const out = await auth(m, { TOKEN: await m.token({ rpps: CAMILLE.rpps }) }, true);
  assert.equal((out['first'] as unknown[])[0], 235);
});

test('smtplib: hostile tokens get the RFC 7628 challenge (status 401, or 403 for another professional) then 535', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t);
  const cases: [string, Promise<string>, string][] = [
    ['expired', m.token({ rpps: CAMILLE.rpps, iatOffset: -600, ttl: 300 }), '401'],
    ['not yet valid', m.token({ rpps: CAMILLE.rpps, nbfOffset: 600 }), '401'],
    ['wrongly signed', m.token({ rpps: CAMILLE.rpps, foreignKey: true }), '401'],
    [
      'other issuer',
      m.token({ rpps: CAMILLE.rpps, issuer: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet' }),
      '401',
    ],
    ['malformed', Promise.resolve('not.a.jwt'), '401'],
    ['another professional', m.token({ rpps: LOUIS.rpps }), '403'],
  ];
  for (const [name, token, status] of cases) {
    const out = await auth(m, { TOKEN: await token });
    assert.equal((out['first'] as unknown[])[0], 334, `${name}: a 334 challenge first`);
    const challenge = out['challenge'] as Record<string, string>;
    assert.equal(challenge['status'], status, `${name}: status`);
    assert.equal(challenge['schemes'], 'bearer');
    assert.equal((out['final'] as unknown[])[0], 535, `${name}: 535 after the empty answer`);
  }
  assert.equal(m.stats()['smtp.authRefused'], cases.length);
  const logged = JSON.stringify(m.log.entries);
  assert.ok(!logged.includes('not.a.jwt'), 'no token in the sandbox log');
});

test('smtplib: a malformed XOAUTH2 response (no auth=) is refused with 501', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t);
  const out = await auth(m, {
    RESPONSE: Buffer.from(`user=${CAMILLE.mailboxes[0]}\x01\x01`).toString('base64'),
  });
  assert.equal((out['first'] as unknown[])[0], 501);
});
