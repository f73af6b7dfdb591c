import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { redactText, redactTranscript, tokenFingerprint } from '../../../src/mss/conformance/index.ts';

const b64u = (s: string) => Buffer.from(s).toString('base64url');
const JWT = `${b64u('{"alg":"RS256","typ":"JWT","kid":"psc-test"}')}.${b64u(
  '{"iss":"https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet","preferred_username":"810000000001","exp":1796289600}',
)}.${b64u('signature-bytes-of-some-length-0123456789')}`;
const OPAQUE = 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg';
const xo = (user: string, token: string) =>
  Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
const MARK = (t: string) =>
  `[REDACTED:token sha256:${createHash('sha256').update(t).digest('hex').slice(0, 8)}]`;

/** Neither the token, nor its base64, nor any 12-char piece of either may survive. */
function assertNoLeak(out: string, ...secrets: string[]) {
  for (const s of secrets)
    for (let i = 0; i + 12 <= s.length; i += 6)
      assert.ok(!out.includes(s.slice(i, i + 12)), `leaked ${s.slice(i, i + 12)} in ${out}`);
}

test('redact: IMAP AUTHENTICATE XOAUTH2 with SASL-IR, fingerprint of the inner token', () => {
  const b64 = xo('camille.martin@sandbox.mssante.fr', JWT);
  assert.ok(b64.endsWith('=') || b64.length % 4 === 0);
  const out = redactText(`A01 AUTHENTICATE XOAUTH2 ${b64}`);
  assert.equal(out, `A01 AUTHENTICATE XOAUTH2 ${MARK(JWT)}`);
  assertNoLeak(out, JWT, b64);
});

test('redact: SMTP AUTH XOAUTH2, lowercase command, base64 with padding', () => {
  for (const user of ['a@b.fr', 'ab@b.fr', 'abc@b.fr']) {
    const b64 = xo(user, OPAQUE);
    const out = redactText(`auth xoauth2 ${b64}`);
    assert.equal(out, `auth xoauth2 ${MARK(OPAQUE)}`);
    assertNoLeak(out, OPAQUE, b64);
  }
  assert.ok(['a@b.fr', 'ab@b.fr', 'abc@b.fr'].some((u) => xo(u, OPAQUE).endsWith('=')));
});

test('redact: a continuation line that is base64 of the XOAUTH2 string, without any command before it', () => {
  const b64 = xo('x@y.fr', JWT);
  assert.equal(redactText(b64), MARK(JWT));
});

test('redact: any JWT, Bearer in any case, the same token always the same fingerprint', () => {
  assert.equal(redactText(`token ${JWT} seen`), `token ${MARK(JWT)} seen`);
  assert.equal(redactText(`Authorization: bearer ${OPAQUE}`), `Authorization: bearer ${MARK(OPAQUE)}`);
  assert.equal(redactText(`BEARER ${JWT}`), `BEARER ${MARK(JWT)}`);
  assert.equal(tokenFingerprint(JWT), MARK(JWT).slice(-9, -1));
  const a = redactText(`A01 AUTHENTICATE XOAUTH2 ${xo('a@b.fr', JWT)}`);
  const b = redactText(`AUTH XOAUTH2 ${xo('other@b.fr', JWT)}`);
  assert.equal(a.slice(-MARK(JWT).length), b.slice(-MARK(JWT).length));
  assert.notEqual(MARK(JWT), MARK(OPAQUE));
});

test('redact: a short or malformed value after XOAUTH2 or Bearer is redacted too', () => {
  assert.equal(redactText('AUTH XOAUTH2 bm90LXhvYXV0aA=='), `AUTH XOAUTH2 ${MARK('bm90LXhvYXV0aA==')}`);
  assert.equal(redactText('auth=Bearer abc'), `auth=Bearer ${MARK('abc')}`);
});

test('redact: text that is not a token stays as it is', () => {
  for (const s of [
    '* CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER',
    '250-mx.sandbox.mssante.fr at your service',
    '535 5.7.8 Authentication credentials invalid',
    '250-AUTH XOAUTH2 PLAIN LOGIN',
    '250 AUTH XOAUTH2 OAUTHBEARER',
    '+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=',
    'A01 NO [AUTHENTICATIONFAILED] Authentication failed.',
    'user camille.martin@sandbox.mssante.fr on auth.bas.psc.esante.gouv.fr',
  ])
    assert.equal(redactText(s), s);
});

test('redact transcript: a token split across lines is removed from every line, structure kept', () => {
  const b64 = xo('camille.martin@sandbox.mssante.fr', JWT);
  const lines = [
    { dir: 's' as const, text: '220 mx ESMTP' },
    { dir: 'c' as const, text: `AUTH XOAUTH2 ${b64.slice(0, 40)}` },
    { dir: 'c' as const, text: b64.slice(40, 90) },
    { dir: 'c' as const, text: b64.slice(90) },
    { dir: 's' as const, text: '235 2.7.0 Accepted' },
  ];
  const out = redactTranscript(lines);
  assert.deepEqual(out, [
    { dir: 's', text: '220 mx ESMTP' },
    { dir: 'c', text: `AUTH XOAUTH2 ${MARK(JWT)}` },
    { dir: 'c', text: '' },
    { dir: 'c', text: '' },
    { dir: 's', text: '235 2.7.0 Accepted' },
  ]);
  assertNoLeak(JSON.stringify(out), JWT, b64);
});

test('redact transcript: a JWT split after Bearer across lines, and the RFC 7628 exchange kept', () => {
  const lines = [
    { dir: 'note' as const, text: `introspecting Bearer ${JWT.slice(0, 30)}` },
    { dir: 'note' as const, text: JWT.slice(30) },
    { dir: 's' as const, text: '+ eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=' },
    { dir: 'c' as const, text: '' },
    { dir: 's' as const, text: 'A01 NO [AUTHENTICATIONFAILED] Authentication failed.' },
  ];
  const out = redactTranscript(lines);
  assert.equal(out[0]?.text, `introspecting Bearer ${MARK(JWT)}`);
  assert.equal(out[1]?.text, '');
  assert.deepEqual(out.slice(2), lines.slice(2));
  assertNoLeak(JSON.stringify(out), JWT);
});

test('redact transcript: a line holding CR LF is flattened and still redacted', () => {
  const out = redactTranscript([{ dir: 'c', text: `A1 AUTHENTICATE XOAUTH2 ${xo('a@b.fr', JWT)}\r\n` }]);
  assert.equal(out[0]?.text, `A1 AUTHENTICATE XOAUTH2 ${MARK(JWT)} `);
});

test('redact: base64 of a bearer string without the ^A separators is still recognised', () => {
  const b64 = Buffer.from(`user=a@b.fr auth=bearer ${OPAQUE}`).toString('base64');
  assert.equal(redactText(`note ${b64}`), `note ${MARK(OPAQUE)}`);
});

test('redact transcript: an EHLO host name and the server lines after it are not a token (Dovecot transcript)', () => {
  const lines = [
    { dir: 's' as const, text: '220 mail.sandbox.mssante.fr Dovecot (Debian) ready.' },
    { dir: 'c' as const, text: 'EHLO conformance.passerelle.invalid' },
    { dir: 's' as const, text: '250-mail.sandbox.mssante.fr' },
    { dir: 's' as const, text: '250-8BITMIME' },
    { dir: 's' as const, text: '250-AUTH XOAUTH2 OAUTHBEARER EXTERNAL' },
    { dir: 's' as const, text: '250 PIPELINING' },
    { dir: 'c' as const, text: 'AUTH XOAUTH2' },
    { dir: 's' as const, text: '334 ' },
    { dir: 'c' as const, text: xo('camille.martin@sandbox.mssante.fr', JWT) },
  ];
  const out = redactTranscript(lines);
  assert.deepEqual(out.slice(0, 8), lines.slice(0, 8));
  assert.equal(out[8]?.text, MARK(JWT));
  // Three long dotted labels are a host name, not a JWS (whose header decodes to a JSON object).
  assert.equal(
    redactText('relay conformance.passerelle.invalid250-mail'),
    'relay conformance.passerelle.invalid250-mail',
  );
});

test('redact: a JWT glued after a host name is still found; one whose header is not eyJ but decodes to JSON too', () => {
  const glued = `relay conformance-relay.passerelle-test.invalid-domain.${JWT} end`;
  const out = redactText(glued);
  assertNoLeak(out, JWT);
  assert.match(out, /\[REDACTED:token sha256:[0-9a-f]{8}\]/);
  const spaced = `${b64u(' {"alg":"RS256"}')}.${b64u('{"sub":"810000000001","exp":1}')}.${b64u('sig-bytes-0123456789')}`;
  assert.ok(!spaced.startsWith('eyJ'));
  assertNoLeak(redactText(`token ${spaced}`), spaced);
});
