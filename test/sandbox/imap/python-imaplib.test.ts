import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { DEBIAN_PYTHON, requirePeer } from '../../_support/peers.ts';
import { tempDir } from '../../_support/tmp.ts';
import { ALICE, type Fixture, sampleMessage, startFixture } from './_imap.ts';

/** Python's imaplib: XOAUTH2 through a continuation (imaplib sends no SASL-IR), then select and fetch. */
const SCRIPT = String.raw`
import imaplib, json, ssl, sys
port, mode, cafile, user, token = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context(cafile=cafile)
out = {'lines': []}
_get_line = imaplib.IMAP4._get_line
def get_line(self):
    line = _get_line(self)
    out['lines'].append(line.decode('latin1'))
    return line
imaplib.IMAP4._get_line = get_line
if mode == 'implicit':
    m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx)
else:
    m = imaplib.IMAP4('127.0.0.1', port)
    out['before'] = sorted(m.capabilities)
    m.starttls(ssl_context=ctx)
out['after'] = sorted(m.capabilities)
try:
    typ, data = m.authenticate('XOAUTH2', lambda _: ('user=%s\x01auth=Bearer %s\x01\x01' % (user, token)).encode())
    out['auth'] = typ
except imaplib.IMAP4.error as e:
    out['auth'] = 'error'
    out['error'] = str(e)
    print(json.dumps(out))
    sys.exit(0)
typ, data = m.select('INBOX')
out['select'] = [typ, data[0].decode()]
typ, data = m.fetch('1', '(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY[1])')
out['fetch'] = [typ, data[0][0].decode(), data[0][1].decode(), data[1][1].decode(), data[2].decode()]
typ, data = m.uid('SEARCH', None, 'SEEN')
out['seen'] = data[0].decode()
m.logout()
print(json.dumps(out))
`;

function runPython(
  t: TestContext,
  f: Fixture,
  mode: 'implicit' | 'starttls',
  token: string,
): Promise<Record<string, unknown>> {
  const cafile = join(tempDir(t), 'ca.pem');
  writeFileSync(cafile, f.ca);
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, ['-', String(f.port), mode, cafile, ALICE, token]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`python exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin.end(SCRIPT);
  });
}

for (const mode of ['implicit', 'starttls'] as const) {
  test(`python imaplib over ${mode} TLS: XOAUTH2 via continuation, select, fetch (BODY[1] sets \\Seen)`, async (t) => {
    if (!requirePeer(t, 'python3-mail')) return;
    const f = await startFixture(t, { mode });
    await f.store.append(ALICE, 'INBOX', Buffer.from(sampleMessage()));
    const out = await runPython(t, f, mode, 'tok-alice-1');
    if (mode === 'starttls') {
      assert.deepEqual(out['before'], ['IMAP4REV1', 'LOGINDISABLED', 'STARTTLS']);
    }
    assert.ok((out['after'] as string[]).includes('AUTH=XOAUTH2'));
    assert.equal(out['auth'], 'OK');
    assert.deepEqual(out['select'], ['OK', '1']);
    const fetch = out['fetch'] as string[];
    assert.equal(fetch[0], 'OK');
    assert.match(fetch[1] ?? '', /^1 \(UID 1 FLAGS \(\\Seen\) BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{\d+\}$/);
    assert.equal(fetch[2], 'Subject: Compte rendu\r\n\r\n');
    assert.equal(fetch[3], 'Bonjour, voici le compte rendu.');
    assert.equal(fetch[4], ')');
    assert.equal(out['seen'], '1');
    const auth = f.log.entries.find((e) => e.msg === 'imap: authenticated');
    assert.equal(auth?.fields['saslIr'], false);
  });
}

test('python imaplib: an unknown token gets the RFC 7628 challenge, then NO [AUTHENTICATIONFAILED]', async (t) => {
  if (!requirePeer(t, 'python3-mail')) return;
  const f = await startFixture(t);
  const out = await runPython(t, f, 'implicit', 'tok-nobody');
  assert.equal(out['auth'], 'error');
  assert.equal(out['error'], '[AUTHENTICATIONFAILED] Authentication failed');
  const lines = out['lines'] as string[];
  const challenge = lines.find((l) => l.startsWith('+ ') && l.length > 2);
  assert.ok(challenge, `no RFC 7628 challenge in ${lines.join(' | ')}`);
  assert.deepEqual(JSON.parse(Buffer.from(challenge.slice(2), 'base64').toString()), {
    status: '401',
    schemes: 'bearer',
    scope: 'openid scope_all',
  });
  assert.match(lines.at(-1) ?? '', /^[A-Z]+\d+ NO \[AUTHENTICATIONFAILED\] Authentication failed$/);
  assert.equal(f.server.stats()['authFailures'], 1);
  assert.ok(!JSON.stringify(f.log.entries).includes('tok-nobody'), 'the token never reaches the log');
});
