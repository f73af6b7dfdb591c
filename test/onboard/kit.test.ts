import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kitPlan, parseAnswers, writeCertificateKit } from '../../src/onboard/index.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { withField } from './_answers.ts';

const CBE_OU = 'OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456749';

describe('certificate kit', () => {
  it('plans a TLS key per environment, eBox when wanted, OAuth when rest or oauth is wanted', () => {
    const plan = (services: string[], envs: string[]) =>
      kitPlan(parseAnswers(withField('environments', envs, withField('services', services)))).map(
        (p) => `${p.environment}/${p.purpose} ${p.app}`,
      );
    assert.deepEqual(plan(['soap'], ['test', 'prod']), [
      'test/tls urn:be:fgov:kbo-bce:ont:app',
      'prod/tls urn:be:fgov:kbo-bce:ont:app',
    ]);
    assert.deepEqual(plan(['oauth', 'ebox'], ['acpt']), [
      'acpt/tls urn:be:fgov:kbo-bce:ont:app',
      'acpt/ebox urn:be:fgov:kbo-bce:ont:ebox-sender',
      'acpt/oauth urn:be:fgov:kbo-bce:ont:app',
    ]);
    assert.deepEqual(plan(['sftp'], ['acpt']), []);
    // The eBox publication service exists in acpt and prod only: no eBox certificate for test.
    assert.deepEqual(plan(['ebox'], ['test', 'acpt']), [
      'test/tls urn:be:fgov:kbo-bce:ont:app',
      'acpt/tls urn:be:fgov:kbo-bce:ont:app',
      'acpt/ebox urn:be:fgov:kbo-bce:ont:ebox-sender',
    ]);
  });

  it('every CSR verifies with openssl and shows the exact subject of its profile; keys 0600 and usable', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const dir = tempDir(t);
    const answers = parseAnswers(
      withField(
        'applications.oauth',
        'urn:be:fgov:kbo-bce:ont:rest-client',
        withField('environments', ['acpt', 'prod']),
      ),
    );
    const kit = await writeCertificateKit(answers, dir);
    const expected: Record<string, string> = {
      'acpt/tls': `C=BE, O=Office national de test, ${CBE_OU}, OU=ACC, CN=urn:be:fgov:kbo-bce:ont:app`,
      'acpt/ebox': `C=BE, O=Federal Government, OU=Office national de test, ${CBE_OU}, OU=ACC, CN=urn:be:fgov:kbo-bce:ont:ebox-sender`,
      'acpt/oauth': `C=BE, O=Office national de test, ${CBE_OU}, OU=ACC, CN=urn:be:fgov:kbo-bce:ont:rest-client`,
      'prod/tls': `C=BE, O=Office national de test, ${CBE_OU}, OU=PRD, CN=urn:be:fgov:kbo-bce:ont:app`,
      'prod/ebox': `C=BE, O=Federal Government, OU=Office national de test, ${CBE_OU}, OU=PRD, CN=urn:be:fgov:kbo-bce:ont:ebox-sender`,
      'prod/oauth': `C=BE, O=Office national de test, ${CBE_OU}, OU=PRD, CN=urn:be:fgov:kbo-bce:ont:rest-client`,
    };
    assert.deepEqual(
      kit.map((e) => `${e.environment}/${e.purpose}`),
      Object.keys(expected),
    );
    for (const entry of kit) {
      const name = `${entry.environment}/${entry.purpose}`;
      const csr = join(dir, entry.csr);
      const verify = runPeer('openssl', ['req', '-verify', '-noout', '-in', csr]);
      assert.equal(verify.status, 0, `${name}: ${verify.stderr}`);
      // OpenSSL 3's default form (`C = BE, O = …`), and without the spaces around "=".
      const subject = runPeer('openssl', ['req', '-subject', '-noout', '-in', csr]);
      assert.equal(subject.status, 0, subject.stderr);
      assert.equal(subject.stdout.trim(), `subject=${expected[name]!.replace(/=/g, ' = ')}`, name);
      const compact = runPeer('openssl', [
        'req',
        '-subject',
        '-noout',
        '-nameopt',
        'oneline,-space_eq',
        '-in',
        csr,
      ]);
      assert.equal(compact.stdout.trim(), `subject=${expected[name]}`, name);
      assert.equal(entry.subject, expected[name], `${name}: the entry says the same subject`);
      assert.equal(entry.profile, { tls: 'cbss', ebox: 'ebox', oauth: 'oauth' }[entry.purpose]);
      for (const secret of [entry.key, entry.passwordFile])
        assert.equal(statSync(join(dir, secret)).mode & 0o777, 0o600, `${secret} is 0600`);
      assert.match(readFileSync(join(dir, entry.key), 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      // The key opens with its password file and is the CSR's key.
      const pub = runPeer('openssl', [
        'pkey',
        '-in',
        join(dir, entry.key),
        '-passin',
        `file:${join(dir, entry.passwordFile)}`,
        '-pubout',
      ]);
      assert.equal(pub.status, 0, pub.stderr);
      const csrPub = runPeer('openssl', ['req', '-in', csr, '-noout', '-pubkey']);
      assert.equal(pub.stdout, csrPub.stdout, `${name}: key and CSR match`);
      assert.equal(entry.certificate, `${entry.environment}/${entry.purpose}.crt`);
    }
  });

  it('answers a subject cannot hold are refused by the profile before any key is written', async (t) => {
    const dir = tempDir(t);
    const answers = parseAnswers(withField('environments', ['acpt']));
    const bad = { ...answers, institution: { ...answers.institution, cbe: '0123456750' } };
    await rejectsCode(writeCertificateKit(bad, dir), 'ERR_IDS_CBE_INVALID');
  });
});
