import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { testPki } from '../../_support/credentials.ts';
import { ALICE, RawImap, rawConnect, sampleMessage, startFixture, xoauth2 } from './_imap.ts';

test('STARTTLS mode: no AUTH= before TLS, AUTHENTICATE and LOGIN refused in clear, commands pipelined after STARTTLS dropped', async (t) => {
  const f = await startFixture(t, { mode: 'starttls' });
  const raw = await rawConnect(f, false);
  assert.equal(
    raw.lines[0],
    '* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Passerelle sandbox IMAP ready',
  );
  assert.equal(await raw.command('a1', 'CAPABILITY'), 'a1 OK CAPABILITY completed');
  assert.ok(raw.lines.includes('* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED'));
  assert.equal(
    await raw.command('a2', `AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-alice-1')}`),
    'a2 NO [PRIVACYREQUIRED] Authentication requires TLS; use STARTTLS first',
  );
  assert.equal(
    await raw.command('a3', 'LOGIN alice secret'),
    'a3 NO [PRIVACYREQUIRED] LOGIN is disabled; use STARTTLS then AUTHENTICATE',
  );
  // a command sent right behind STARTTLS, in clear text, must not run (CVE-2011-0411 style injection)
  raw.send('a4 STARTTLS\r\na5 CAPABILITY\r\n');
  await raw.waitFor(/^a4 OK/);
  await raw.starttls(f.ca);
  assert.equal(await raw.command('a6', 'CAPABILITY'), 'a6 OK CAPABILITY completed');
  assert.ok(!raw.lines.some((l) => l.startsWith('a5 ')), 'the injected command got no answer');
  assert.ok(
    raw.lines.includes(
      '* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=EXTERNAL LOGINDISABLED LITERAL+ IDLE UIDPLUS MOVE UNSELECT',
    ),
  );
  assert.match(await raw.command('a7', `AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-alice-1')}`), /^a7 OK /);
  assert.equal(f.log.entries.filter((e) => e.fields['reason'] === 'auth-before-tls').length, 1);
});

test('XOAUTH2 failures: unknown token (401) and another mailbox token (403) get the challenge then NO; the token is never logged', async (t) => {
  const f = await startFixture(t);
  const raw = await rawConnect(f);
  raw.send(`b1 AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-forged')}\r\n`);
  const challenge = await raw.waitFor(/^\+ /);
  assert.deepEqual(JSON.parse(Buffer.from(challenge.slice(2), 'base64').toString()), {
    status: '401',
    schemes: 'bearer',
    scope: 'openid scope_all',
  });
  assert.ok(
    !raw.lines.some((l) => l.startsWith('b1 ')),
    'no tagged answer before the client answers the challenge',
  );
  raw.send('\r\n');
  assert.equal(await raw.waitFor(/^b1 /), 'b1 NO [AUTHENTICATIONFAILED] Authentication failed');

  const second = raw.lines.length;
  raw.send(`b2 AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-bob-1')}\r\n`);
  const challenge2 = await raw.waitFor(/^b2 |^\+ /, second);
  assert.equal(JSON.parse(Buffer.from(challenge2.slice(2), 'base64').toString()).status, '403');
  raw.send('*\r\n');
  assert.equal(await raw.waitFor(/^b2 /), 'b2 BAD Authentication cancelled');
  const logged = JSON.stringify(f.log.entries);
  assert.ok(!logged.includes('tok-forged') && !logged.includes('tok-bob-1'));
  assert.deepEqual(
    f.log.entries.filter((e) => e.fields['reason'] === 'auth-failed').map((e) => e.fields['why']),
    ['token-inactive', 'mailbox-not-owned'],
  );
});

test('malformed XOAUTH2: not base64 → BAD, no user= or no Bearer → NO, continuation cancelled by * → BAD', async (t) => {
  const f = await startFixture(t);
  const raw = await rawConnect(f);
  assert.equal(
    await raw.command('c1', 'AUTHENTICATE XOAUTH2 !!notbase64!!'),
    'c1 BAD Invalid base64 in the SASL response',
  );
  const noUser = Buffer.from('auth=Bearer tok-alice-1\x01\x01').toString('base64');
  assert.equal(
    await raw.command('c2', `AUTHENTICATE XOAUTH2 ${noUser}`),
    'c2 NO [AUTHENTICATIONFAILED] Malformed XOAUTH2 response: no user=',
  );
  const basic = Buffer.from(`user=${ALICE}\x01auth=Basic dG9rLWFsaWNlLTE=\x01\x01`).toString('base64');
  assert.equal(
    await raw.command('c3', `AUTHENTICATE XOAUTH2 ${basic}`),
    'c3 NO [AUTHENTICATIONFAILED] Malformed XOAUTH2 response: no auth=Bearer token',
  );
  raw.send('c4 AUTHENTICATE XOAUTH2\r\n');
  await raw.waitFor(/^\+ $/);
  raw.send('*\r\n');
  assert.equal(await raw.waitFor(/^c4 /), 'c4 BAD Authentication cancelled');
  assert.equal(
    await raw.command('c5', 'AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=='),
    'c5 NO Unsupported authentication mechanism',
  );
  assert.equal(
    await raw.command('c6', 'LOGIN alice secret'),
    'c6 NO [CANNOT] LOGIN is disabled; use AUTHENTICATE XOAUTH2 or EXTERNAL',
  );
  assert.equal(await raw.command('c7', 'SELECT INBOX'), 'c7 BAD SELECT needs authentication first');
});

test('EXTERNAL: a client certificate chaining to the CA opens its mailbox; none, or an empty authzid, does not', async (t) => {
  const pki = await testPki();
  const f = await startFixture(t, { certificates: { 'urn:be:test:app:rsa': ALICE } });
  const socket = await new Promise<import('node:tls').TLSSocket>((resolve, reject) => {
    const s = tlsConnect(
      {
        host: '127.0.0.1',
        port: f.port,
        ca: f.ca,
        servername: 'localhost',
        cert: pki.rsa.certPem,
        key: pki.rsa.keyPem,
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  const withCert = new RawImap(socket);
  await withCert.waitFor(/^\* OK/);
  assert.equal(
    await withCert.command('d1', 'AUTHENTICATE EXTERNAL ='),
    'd1 NO [AUTHENTICATIONFAILED] EXTERNAL needs the mailbox as authorization identity',
  );
  const authzid = Buffer.from(ALICE).toString('base64');
  assert.match(await withCert.command('d2', `AUTHENTICATE EXTERNAL ${authzid}`), /^d2 OK \[CAPABILITY /);
  const noCert = await rawConnect(f);
  assert.equal(
    await noCert.command('d3', `AUTHENTICATE EXTERNAL ${authzid}`),
    'd3 NO [AUTHENTICATIONFAILED] Authentication failed',
  );
});

test('a literal over the cap: synchronizing → NO [TOOBIG] unread and the session goes on; non-synchronizing → BYE; other sessions unaffected', async (t) => {
  const f = await startFixture(t, { maxMessageBytes: 1024 * 1024 });
  const big = await rawConnect(f);
  const other = await rawConnect(f);
  assert.match(await big.command('e1', `AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-alice-1')}`), /^e1 OK/);
  assert.match(await other.command('f1', `AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-alice-2')}`), /^f1 OK/);
  assert.equal(
    await big.command('e2', 'APPEND INBOX {10485760}'),
    'e2 NO [TOOBIG] Literal of 10485760 bytes is over the limit',
  );
  assert.ok(!big.lines.some((l) => l.startsWith('+ ')), 'no continuation was offered');
  const message = Buffer.from(sampleMessage());
  other.send(`f2 APPEND INBOX {${message.length}}\r\n`);
  await other.waitFor(/^\+ Ready/);
  other.send(Buffer.concat([message, Buffer.from('\r\n')]));
  assert.match(await other.waitFor(/^f2 /), /^f2 OK \[APPENDUID \d+ 1\] APPEND completed$/);
  assert.equal(await big.command('e3', 'NOOP'), 'e3 OK NOOP completed');
  big.send('e4 APPEND INBOX {10485760+}\r\n');
  await big.closed;
  assert.equal(big.lines.at(-1), '* BYE Literal too big');
  assert.equal(await other.command('f3', 'NOOP'), 'f3 OK NOOP completed');
  assert.equal(f.store.messages(ALICE, 'INBOX').length, 1);
});

test('a line longer than maxLineBytes → * BYE line too long and the connection closes', async (t) => {
  const f = await startFixture(t, { maxLineBytes: 4096 });
  const raw = await rawConnect(f);
  raw.send(`g1 NOOP ${'x'.repeat(8192)}`);
  await raw.closed;
  assert.equal(raw.lines.at(-1), '* BYE line too long');
  assert.equal(f.log.entries.filter((e) => e.fields['reason'] === 'line-too-long').length, 1);
});

test('an unterminated command is closed by the pre-auth timeout; an authenticated session by the idle timeout', async (t) => {
  const f = await startFixture(t, { preAuthTimeoutMs: 300, idleTimeoutMs: 400 });
  const pre = await rawConnect(f);
  pre.send('h1 NOOP'); // no CRLF, ever
  const idle = await rawConnect(f);
  assert.match(await idle.command('i1', `AUTHENTICATE XOAUTH2 ${xoauth2(ALICE, 'tok-alice-1')}`), /^i1 OK/);
  await pre.closed;
  assert.equal(pre.lines.at(-1), '* BYE Disconnected for inactivity');
  await idle.closed;
  assert.equal(idle.lines.at(-1), '* BYE Autologout; idle for too long');
  assert.equal(f.server.stats()['timeouts'], 2);
});

test('ten consecutive BAD commands end the session', async (t) => {
  const f = await startFixture(t);
  const raw = await rawConnect(f);
  for (let i = 0; i < 9; i++)
    assert.equal(await raw.command(`j${i}`, 'FROB'), `j${i} BAD unknown command FROB`);
  raw.send('j9 FROB\r\n');
  await raw.closed;
  assert.deepEqual(raw.lines.slice(-2), ['j9 BAD unknown command FROB', '* BYE Too many invalid commands']);
});

test('maxConnections: one more connection is told * BYE Too many connections and closed; the others keep working', async (t) => {
  const f = await startFixture(t, { maxConnections: 2 });
  const a = await rawConnect(f);
  const b = await rawConnect(f);
  const c = await rawConnect(f);
  await c.closed;
  assert.deepEqual(c.lines, ['* BYE Too many connections']);
  assert.equal(await a.command('k1', 'NOOP'), 'k1 OK NOOP completed');
  assert.equal(await b.command('k2', 'NOOP'), 'k2 OK NOOP completed');
  assert.equal(f.server.stats()['tooManyConnections'], 1);
});
