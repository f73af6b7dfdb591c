import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requirePeer } from '../../_support/peers.ts';
import { CAMILLE, LOUIS, runPython, startMss } from './_mss.ts';

/**
 * Python's imaplib against the sandbox operator's IMAP server over STARTTLS, tokens checked by
 * introspection against the PSC stub: no AUTH= before TLS, a valid token accepted, each hostile
 * token refused after the RFC 7628 challenge.
 */
const SCRIPT = String.raw`
import base64, imaplib, json, os, ssl
E = os.environ
ctx = ssl.create_default_context(cafile=E['CA'])
out = {'results': []}
m = imaplib.IMAP4('127.0.0.1', int(E['PORT']))
out['before'] = sorted(m.capabilities)
m.starttls(ssl_context=ctx)
out['after'] = sorted(m.capabilities)
m.logout()
for token in json.loads(E['TOKENS']):
    m = imaplib.IMAP4('127.0.0.1', int(E['PORT']))
    m.starttls(ssl_context=ctx)
    challenges = []
    def answer(challenge):
        challenges.append(challenge.decode('latin1') if challenge else '')
        if len(challenges) == 1 and challenge == b'':
            return ('user=%s\x01auth=Bearer %s\x01\x01' % (E['USER'], token)).encode()
        return b''
    try:
        typ, _ = m.authenticate('XOAUTH2', answer)
        out['results'].append({'auth': typ})
        m.logout()
    except imaplib.IMAP4.error as e:
        out['results'].append({'auth': 'NO', 'challenges': challenges, 'error': str(e)})
print(json.dumps(out))
`;

test('imaplib over STARTTLS: AUTH=XOAUTH2 and SASL-IR only after TLS; a PSC token accepted; hostile tokens refused after the RFC 7628 challenge', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const m = await startMss(t);
  const tokens = await Promise.all([
    m.token({ rpps: CAMILLE.rpps }),
    m.token({ rpps: CAMILLE.rpps, iatOffset: -600, ttl: 300 }),
    m.token({ rpps: CAMILLE.rpps, nbfOffset: 600 }),
    m.token({ rpps: CAMILLE.rpps, foreignKey: true }),
    m.token({ rpps: CAMILLE.rpps, issuer: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet' }),
    Promise.resolve('eyJub3QiOiJhIGp3dCJ9.e30.'),
    m.token({ rpps: LOUIS.rpps }),
    m.token({ rpps: CAMILLE.rpps, acr: 'eidas2' }),
  ]);
  const out = await runPython(SCRIPT, {
    CA: m.caFile,
    PORT: String(m.port('mss.imap.starttls')),
    USER: CAMILLE.mailboxes[0],
    TOKENS: JSON.stringify(tokens),
  });
  const before = out['before'] as string[];
  assert.ok(before.includes('STARTTLS') && before.includes('LOGINDISABLED'));
  assert.ok(!before.some((c) => c.startsWith('AUTH=') || c === 'SASL-IR'), before.join(' '));
  const after = out['after'] as string[];
  assert.ok(after.includes('AUTH=XOAUTH2') && after.includes('SASL-IR'), after.join(' '));
  const results = out['results'] as { auth: string; challenges?: string[] }[];
  assert.equal(results[0]?.auth, 'OK', 'a token of the mailbox owner');
  const names = [
    'expired',
    'not yet valid',
    'wrongly signed',
    'other issuer',
    'malformed',
    'another professional',
    'acr eidas2',
  ];
  for (const [i, name] of names.entries()) {
    const r = results[i + 1];
    assert.equal(r?.auth, 'NO', name);
    const challenge = JSON.parse(String(r?.challenges?.[1])) as Record<string, string>; // imaplib decodes it
    assert.equal(challenge['schemes'], 'bearer', name);
    assert.equal(challenge['status'], name === 'another professional' ? '403' : '401', name);
  }
  assert.ok(!JSON.stringify(m.log.entries).includes(tokens[1] as string), 'no token in the sandbox log');
});
