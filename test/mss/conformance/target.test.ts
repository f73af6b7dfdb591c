import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPasserelleError } from '../../../src/errors.ts';
import { parseTarget, type TargetInput } from '../../../src/mss/conformance/target.ts';
import { throwsCode } from '../../_support/assert-code.ts';
import { testPki } from '../../_support/credentials.ts';

const pki = await testPki();
const BASE: TargetInput = {
  imap: 'imaps://mss.example.fr',
  smtp: 'smtps://mss.example.fr',
  mailbox: 'jean.dupont@medecin.mssante.fr',
  idNat: '810001234567',
  ca: pki.ca.certPem,
};

/** The field named by the error parseTarget throws for `input`. */
function fieldOf(input: TargetInput): string {
  try {
    parseTarget(input);
  } catch (e) {
    assert.ok(isPasserelleError(e, 'ERR_MSS_CONFORMANCE_TARGET_INVALID'), String(e));
    assert.doesNotMatch(
      e.message,
      /-----BEGIN|MII[A-Za-z0-9+/]{8}/,
      'no key or certificate material in the message',
    );
    return String(e.details['field']);
  }
  assert.fail('expected ERR_MSS_CONFORMANCE_TARGET_INVALID');
}

test('implicit TLS URLs take the default ports 993 and 465; STARTTLS URLs 143 and 587', () => {
  assert.deepEqual(parseTarget(BASE), {
    host: 'mss.example.fr',
    imap: { port: 993, tls: 'implicit' },
    smtp: { port: 465, tls: 'implicit' },
    mailbox: 'jean.dupont@medecin.mssante.fr',
    idNat: '810001234567',
    ca: pki.ca.certPem,
  });
  const t = parseTarget({ ...BASE, imap: 'imap://MSS.example.fr', smtp: 'smtp://mss.example.fr/' });
  assert.deepEqual(
    [t.host, t.imap, t.smtp],
    ['mss.example.fr', { port: 143, tls: 'starttls' }, { port: 587, tls: 'starttls' }],
  );
});

test('explicit ports, IP literals and surrounding spaces', () => {
  const t = parseTarget({
    ...BASE,
    imap: ' imaps://127.0.0.1:10993 ',
    smtp: 'smtp://127.0.0.1:10587',
    mailbox: ' a@b.fr ',
    idNat: ' 8X1 ',
  });
  assert.deepEqual(
    [t.host, t.imap.port, t.smtp.port, t.smtp.tls, t.mailbox, t.idNat],
    ['127.0.0.1', 10993, 10587, 'starttls', 'a@b.fr', '8X1'],
  );
  assert.equal(parseTarget({ ...BASE, imap: 'imaps://[::1]:993', smtp: 'smtps://[::1]' }).host, '::1');
});

test('a URL of the wrong scheme, with credentials, a path or no host names its field', () => {
  for (const [imap, smtp, field] of [
    ['https://mss.example.fr', BASE.smtp, 'imap'],
    ['smtps://mss.example.fr', BASE.smtp, 'imap'],
    [BASE.imap, 'imaps://mss.example.fr', 'smtp'],
    ['mss.example.fr:993', BASE.smtp, 'imap'],
    ['', BASE.smtp, 'imap'],
    ['imaps://user:secret@mss.example.fr', BASE.smtp, 'imap'],
    ['imaps://mss.example.fr/INBOX', BASE.smtp, 'imap'],
    [BASE.imap, 'smtps://mss.example.fr?x=1', 'smtp'],
    ['imaps://mss.example.fr:0', BASE.smtp, 'imap'],
    ['imaps://mss.example.fr:65536', BASE.smtp, 'imap'],
    [BASE.imap, 'smtps://other.example.fr', 'smtp'],
  ] as const)
    assert.equal(fieldOf({ ...BASE, imap, smtp }), field, `${imap} ${smtp}`);
  throwsCode(
    () => parseTarget({ ...BASE, imap: 'imaps://user:secret@mss.example.fr' }),
    'ERR_MSS_CONFORMANCE_TARGET_INVALID',
  );
  try {
    parseTarget({ ...BASE, imap: 'imaps://user:secret@mss.example.fr' });
  } catch (e) {
    assert.doesNotMatch((e as Error).message, /secret/);
  }
});

test('mailbox and IdNat are checked', () => {
  for (const mailbox of [
    '',
    'jean',
    'jean@',
    '@b.fr',
    'a@b',
    'a b@c.fr',
    'a@@b.fr',
    `${'a'.repeat(250)}@b.fr`,
  ])
    assert.equal(fieldOf({ ...BASE, mailbox }), 'mailbox', mailbox);
  for (const idNat of ['', '1'.repeat(21), '8100-1', '81 00', 'é1'])
    assert.equal(fieldOf({ ...BASE, idNat }), 'idNat', idNat);
  assert.equal(parseTarget({ ...BASE, idNat: '1'.repeat(20) }).idNat, '1'.repeat(20));
});

test('the CA must hold at least one readable certificate; a bundle is accepted', () => {
  assert.equal(fieldOf({ ...BASE, ca: '' }), 'ca');
  assert.equal(fieldOf({ ...BASE, ca: pki.rsa.keyPem }), 'ca', 'a key is not a CA');
  assert.equal(
    fieldOf({ ...BASE, ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }),
    'ca',
  );
  const bundle = `${pki.ca.certPem}\n${pki.rogueCa.certPem}`;
  assert.equal(parseTarget({ ...BASE, ca: bundle }).ca, bundle);
});

test('a client certificate and its key are kept when they parse and match', () => {
  const t = parseTarget({ ...BASE, clientCertificate: { certPem: pki.ec.certPem, keyPem: pki.ec.keyPem } });
  assert.deepEqual(t.clientCertificate, { certPem: pki.ec.certPem, keyPem: pki.ec.keyPem });
  assert.equal(parseTarget(BASE).clientCertificate, undefined);
});

test('a client certificate that does not parse, a bad key or a key of another certificate is refused', () => {
  const cc = (certPem: string, keyPem: string) => ({ ...BASE, clientCertificate: { certPem, keyPem } });
  assert.equal(fieldOf(cc('', pki.ec.keyPem)), 'clientCertificate');
  assert.equal(fieldOf(cc(pki.ec.keyPem, pki.ec.keyPem)), 'clientCertificate');
  assert.equal(fieldOf(cc(pki.ec.certPem, '')), 'clientKey');
  assert.equal(fieldOf(cc(pki.ec.certPem, pki.ec.certPem)), 'clientKey');
  assert.equal(
    fieldOf(cc(pki.ec.certPem, '-----BEGIN PRIVATE KEY-----\nMIIBAAAA\n-----END PRIVATE KEY-----\n')),
    'clientKey',
  );
  assert.equal(fieldOf(cc(pki.ec.certPem, pki.rsa.keyPem)), 'clientKey', 'key of another certificate');
  const encrypted = pki.rsa.privateKey
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
    .toString();
  assert.equal(fieldOf(cc(pki.rsa.certPem, encrypted)), 'clientKey', 'encrypted key');
});

test('the client certificate mailbox (an applicative mailbox): kept with a certificate, refused alone or malformed', () => {
  const client = { certPem: pki.ec.certPem, keyPem: pki.ec.keyPem };
  const t = parseTarget({
    ...BASE,
    clientCertificate: client,
    clientCertificateMailbox: ' app@mss.example.fr ',
  });
  assert.equal(t.clientCertificateMailbox, 'app@mss.example.fr');
  assert.equal(
    parseTarget({ ...BASE, clientCertificate: client, clientCertificateMailbox: '' })
      .clientCertificateMailbox,
    undefined,
  );
  assert.equal(
    fieldOf({ ...BASE, clientCertificateMailbox: 'app@mss.example.fr' }),
    'clientCertificateMailbox',
  );
  assert.equal(
    fieldOf({ ...BASE, clientCertificate: client, clientCertificateMailbox: 'not a mailbox' }),
    'clientCertificateMailbox',
  );
});
