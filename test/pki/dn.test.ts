import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import * as x509 from '@peculiar/x509';
import { escapeDnValue, formatDn, issuerDn, subjectDn } from '../../src/pki/dn.ts';
import { testPki } from '../_support/credentials.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/**
 * A JSON-name value that @peculiar/x509 takes as is: `#` + the DER of a UTF8String (it reads a
 * plain value starting with `#` as hex, and rewrites values holding quotes).
 */
function utf8(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  assert.ok(bytes.length < 128);
  return `#0c${bytes.length.toString(16).padStart(2, '0')}${bytes.toString('hex')}`;
}

/** A self-signed certificate whose subject (and issuer) is `name` (JSON form, DER order). */
async function certificateNamed(name: x509.JsonName): Promise<X509Certificate> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: new x509.Name(name),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: alg,
  });
  return new X509Certificate(Buffer.from(cert.rawData));
}

test('escapeDnValue: the RFC 4514 §2.4 specials, leading # and space, trailing space, controls as hex; UTF-8 kept', () => {
  assert.equal(escapeDnValue('a,b'), 'a\\,b');
  assert.equal(escapeDnValue('a+b'), 'a\\+b');
  assert.equal(escapeDnValue('say "hi"'), 'say \\"hi\\"');
  assert.equal(escapeDnValue('x;y<z>\\'), 'x\\;y\\<z\\>\\\\');
  assert.equal(escapeDnValue('#1'), '\\#1');
  assert.equal(escapeDnValue('a#1'), 'a#1');
  assert.equal(escapeDnValue(' lead'), '\\ lead');
  assert.equal(escapeDnValue('trail '), 'trail\\ ');
  assert.equal(escapeDnValue('in side'), 'in side');
  assert.equal(escapeDnValue('a=b'), 'a=b');
  assert.equal(escapeDnValue('Liège Überweg 東京'), 'Liège Überweg 東京');
  assert.equal(escapeDnValue('nul\u0000lf\nesc\u001b'), 'nul\\00lf\\0aesc\\1b');
  assert.equal(escapeDnValue('c1\u0085'), 'c1\\c2\\85');
});

test('formatDn: most specific RDN first, "," between RDNs, "+" inside a multi-valued one', () => {
  assert.equal(
    formatDn([
      [{ type: 'C', value: 'BE' }],
      [{ type: 'O', value: 'Acme, Inc.' }],
      [
        { type: 'CN', value: 'app' },
        { type: 'UID', value: '42' },
      ],
    ]),
    'CN=app+UID=42,O=Acme\\, Inc.,C=BE',
  );
  assert.equal(formatDn([]), '');
});

test('subjectDn/issuerDn of real certificates: RFC 4514 from the DER, escaping and UTF-8 as in the certificate', async () => {
  const cert = await certificateNamed([
    { C: ['BE'] },
    { O: [utf8('Fédération, "Wallonie"+Bruxelles')] },
    { OU: [utf8('#not-hex')] },
    { OU: [' padded '] },
    { CN: ['app'], '0.9.2342.19200300.100.1.1': ['u1'] },
  ]);
  const expected =
    'CN=app+UID=u1,OU=\\ padded\\ ,OU=\\#not-hex,O=Fédération\\, \\"Wallonie\\"\\+Bruxelles,C=BE';
  assert.equal(subjectDn(cert), expected);
  assert.equal(issuerDn(cert), expected);
});

test('an attribute type without a short name is its OID, with the value as #hex of its DER', async () => {
  const cert = await certificateNamed([{ C: ['BE'] }, { '1.2.3.4': ['x'] }, { CN: ['a'] }]);
  assert.match(subjectDn(cert), /^CN=a,1\.2\.3\.4=#[0-9a-f]+,C=BE$/);
  const hex = /1\.2\.3\.4=#([0-9a-f]+)/.exec(subjectDn(cert))![1]!;
  assert.equal(Buffer.from(hex, 'hex').subarray(2).toString(), 'x', 'a string holding "x"');
});

test('the test PKI certificates: leaf first, issuer distinct from subject', async () => {
  const pki = await testPki();
  assert.match(subjectDn(pki.rsa.certificate), /^CN=urn:be:test:app:rsa,.*C=BE$/);
  assert.match(issuerDn(pki.rsa.certificate), /^CN=[^,]+,.*C=BE$/);
  assert.notEqual(issuerDn(pki.rsa.certificate), subjectDn(pki.rsa.certificate));
});
