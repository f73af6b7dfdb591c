import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FrozenClock } from '../../src/clock.ts';
import { credentialRef, resolveEnvironment } from '../../src/config/environment.ts';
import { loadConfig } from '../../src/config/load.ts';
import { onboardInit, parseAnswers } from '../../src/onboard/index.ts';
import { loadCredential } from '../../src/pki/load-credential.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { requirePeer, runPeer } from '../_support/peers.ts';
import { tempDir } from '../_support/tmp.ts';
import { withField } from './_answers.ts';

const clock = new FrozenClock('2026-12-03T08:00:00Z');
const answers = () => parseAnswers(withField('institution.language', 'nl'));

/** Signs a CSR with a throwaway OpenSSL CA (the CA's answer the partner puts in the folder). */
function issueWithOpenssl(caDir: string, csr: string, crt: string): void {
  const caKey = join(caDir, 'ca.key');
  const caCrt = join(caDir, 'ca.crt');
  if (!existsSync(caCrt)) {
    const ca = runPeer('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caCrt,
      '-subj', '/CN=Onboarding Test CA', '-days', '2',
    ]); // biome-ignore format: argv
    assert.equal(ca.status, 0, ca.stderr);
  }
  const r = runPeer('openssl', [
    'x509', '-req', '-in', csr, '-CA', caCrt, '-CAkey', caKey, '-set_serial', '7', '-days', '1', '-out', crt,
  ]); // biome-ignore format: argv
  assert.equal(r.status, 0, r.stderr);
}

describe('onboard init', () => {
  it('writes the folder; the config skeleton loads with the project loader and, once the .crt files exist, every credential loads', async (t) => {
    if (!requirePeer(t, 'openssl')) return;
    const root = tempDir(t);
    const out = join(root, 'kit');
    const result = await onboardInit(answers(), { outDir: out, clock });
    assert.equal(result.outDir, out);
    assert.deepEqual(result.files, [
      'README.md',
      'acpt/ebox.csr',
      'acpt/ebox.key',
      'acpt/ebox.key.pass',
      'acpt/oauth.csr',
      'acpt/oauth.key',
      'acpt/oauth.key.pass',
      'acpt/tls.csr',
      'acpt/tls.key',
      'acpt/tls.key.pass',
      'forms/ebox-forms.csv',
      'forms/ebox-forms.pdf',
      'forms/firewall-form.csv',
      'forms/firewall-form.pdf',
      'onboarding.json',
      'passerelle.config.yaml',
    ]);
    assert.equal(statSync(out).mode & 0o777, 0o700, 'the folder holds keys: private');
    // Nothing left beside it.
    assert.deepEqual(readdirSync(root), ['kit']);

    const loaded = await loadConfig({ path: join(out, 'passerelle.config.yaml') });
    assert.equal(loaded.config.defaultEnv, 'acpt');
    assert.equal(loaded.config.institution?.cbe, '0123456749');
    const env = resolveEnvironment(loaded, 'acpt', {});
    assert.equal(env.endpoints['cbss.soap']?.url, 'https://b2b-acpt.ksz-bcss.fgov.be:4520');
    assert.deepEqual(credentialRef(env, 'tls'), {
      cert: join(out, 'acpt/tls.crt'),
      key: join(out, 'acpt/tls.key'),
      password: { file: join(out, 'acpt/tls.key.pass') },
    });
    // eBox wanted: the eBox sender certificate signs (the eBox reads the sender from it).
    assert.equal((credentialRef(env, 'signing') as { cert: string }).cert, join(out, 'acpt/ebox.crt'));
    assert.equal((credentialRef(env, 'oauth') as { cert: string }).cert, join(out, 'acpt/oauth.crt'));

    const caDir = tempDir(t);
    for (const entry of result.kit)
      issueWithOpenssl(caDir, join(out, entry.csr), join(out, entry.certificate));
    for (const role of ['tls', 'signing', 'oauth'] as const) {
      const credential = await loadCredential(credentialRef(env, role), { baseDir: env.baseDir, env: {} });
      assert.ok(credential.certificate, role);
    }

    const summary = readFileSync(join(out, 'onboarding.json'), 'utf8');
    assert.doesNotMatch(summary, /PRIVATE KEY/);
    const parsed = JSON.parse(summary);
    assert.equal(parsed.generatedAt, '2026-12-03T08:00:00.000Z');
    assert.deepEqual(
      parsed.flows.map((f: { row: number; destination: { ip: string; port: number } }) => [
        f.row,
        `${f.destination.ip}:${f.destination.port}`,
      ]),
      [
        [1, '85.91.184.103:4520'],
        [2, '85.91.184.103:4543'],
      ],
    );
  });

  it('the README is in the institution language and says what to send to whom', async (t) => {
    const out = join(tempDir(t), 'kit');
    await onboardInit(answers(), { outDir: out, clock });
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /^# Onboardingmap: Office national de test \(CBE 0123\.456\.749\)/);
    assert.match(readme, /Aangemaakt op 2026-12-03/);
    assert.match(readme, /^## 1\. Opening van de stromen in de firewalls$/m);
    assert.match(readme, /^## 5\. Configuratie en controle$/m);
    assert.match(readme, /aan: security@ksz-bcss\.fgov\.be/);
    assert.match(readme, /cc: jean\.jochmans@ksz-bcss\.fgov\.be/);
    assert.match(
      readme,
      /\| 1 \| acpt \| ONT-APP-01 10\.20\.30\.40 \(NAT 193\.191\.210\.7\) \| b2b-acpt\.ksz-bcss\.fgov\.be 85\.91\.184\.103:4520 \| HTTPS\/TCP \|/,
    );
    assert.match(readme, /ACPT-CUSTOMER/);
    assert.match(readme, /`acpt\/ebox\.csr`/);
    assert.match(readme, /esb@ksz-bcss\.fgov\.be/);
    assert.match(readme, /eboxintegration@smals\.be/);
    assert.match(readme, /passerelle doctor --env acpt --onboarding \./);
    assert.match(readme, /- `acpt\/tls\.key\.pass`/);
    const fr = join(tempDir(t), 'kit');
    await onboardInit(
      parseAnswers(withField('institution.language', 'fr', withField('services', ['soap']))),
      {
        outDir: fr,
        clock,
      },
    );
    const readmeFr = readFileSync(join(fr, 'README.md'), 'utf8');
    assert.match(readmeFr, /^# Dossier d'onboarding/);
    assert.doesNotMatch(readmeFr, /^## .*(eBox|OAuth)/m, 'no eBox or OAuth section when not wanted');
    assert.match(readmeFr, /^## 3\. Configuration et vérification$/m, 'sections numbered as they come');
  });

  it('the forms carry the flows row for row and the eBox answers; a value the forms refuse leaves no folder', async (t) => {
    const root = tempDir(t);
    const out = join(root, 'kit');
    // No comma in the texts of the rows, so that a row splits on commas.
    const plain = parseAnswers(
      withField('description', 'Benefits application access.', withField('institution.language', 'nl')),
    );
    const result = await onboardInit(plain, { outDir: out, clock });
    assert.deepEqual(result.forms, {
      firewall: ['forms/firewall-form.pdf', 'forms/firewall-form.csv'],
      ebox: ['forms/ebox-forms.pdf', 'forms/ebox-forms.csv'],
    });
    for (const pdf of ['forms/firewall-form.pdf', 'forms/ebox-forms.pdf'])
      assert.equal(readFileSync(join(out, pdf)).subarray(0, 5).toString('latin1'), '%PDF-');
    const [header, ...rows] = readFileSync(join(out, 'forms/firewall-form.csv'), 'utf8')
      .trim()
      .split(/\r?\n/);
    const col = (name: string) => header!.split(',').indexOf(name);
    assert.equal(rows.length, result.flows.length);
    for (const [i, flow] of result.flows.entries()) {
      const cells = rows[i]!.split(',');
      assert.equal(cells[col('row')], String(flow.row));
      assert.equal(cells[col('destination_ip')], flow.destination.ip);
      assert.equal(cells[col('destination_port')], String(flow.destination.port));
      assert.equal(cells[col('source_ip_nat')], '193.191.210.7');
      assert.equal(cells[col('operations_reference')], 'toe te kennen');
    }
    const ebox = readFileSync(join(out, 'forms/ebox-forms.csv'), 'utf8');
    assert.match(ebox, /urn:be:fgov:kbo-bce:ont:ebox-sender/);
    assert.match(ebox, /Entscheidung/);

    // A name outside the forms' character set passes the answers but not the form: nothing is left.
    const other = join(root, 'other');
    const cjk = parseAnswers(withField('contacts.clientManager.name', '李小龍'));
    await rejectsCode(onboardInit(cjk, { outDir: other, clock }), 'ERR_ONBOARD_FORM_INVALID');
    assert.deepEqual(readdirSync(root), ['kit']);
  });

  it('refuses a non-empty folder or a file; --force replaces it; an empty folder is used', async (t) => {
    const root = tempDir(t);
    const full = join(root, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'old.txt'), 'keep me');
    const soapOnly = parseAnswers(withField('services', ['soap']));
    const e = await rejectsCode(onboardInit(soapOnly, { outDir: full, clock }), 'ERR_ONBOARD_OUT_EXISTS');
    assert.equal(e.details['path'], full);
    assert.equal(readFileSync(join(full, 'old.txt'), 'utf8'), 'keep me');
    writeFileSync(join(root, 'file'), 'x');
    await rejectsCode(onboardInit(soapOnly, { outDir: 'file', cwd: root, clock }), 'ERR_ONBOARD_OUT_EXISTS');

    const replaced = await onboardInit(soapOnly, { outDir: full, clock, force: true });
    assert.ok(!existsSync(join(full, 'old.txt')));
    assert.ok(replaced.files.includes('acpt/tls.key'));
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await onboardInit(soapOnly, { outDir: empty, clock });
    assert.ok(existsSync(join(empty, 'passerelle.config.yaml')));
    assert.deepEqual(readdirSync(root).sort(), ['empty', 'file', 'full']);
  });

  it('a failure half-way leaves no folder and no staging folder (regression: no half kit)', async (t) => {
    const root = tempDir(t);
    const good = parseAnswers(withField('environments', ['acpt', 'prod']));
    // The TLS key of acpt is written, then the eBox subject is refused by the profile.
    const bad = { ...good, applications: { ...good.applications, ebox: 'urn:x:"quoted"' } };
    await rejectsCode(onboardInit(bad, { outDir: join(root, 'kit'), clock }), 'ERR_PKI_PROFILE_INVALID');
    assert.deepEqual(readdirSync(root), []);
    // Under --force, the existing folder survives the failure.
    mkdirSync(join(root, 'kit'));
    writeFileSync(join(root, 'kit', 'old.txt'), 'old');
    await rejectsCode(
      onboardInit(bad, { outDir: join(root, 'kit'), clock, force: true }),
      'ERR_PKI_PROFILE_INVALID',
    );
    assert.deepEqual(readdirSync(root), ['kit']);
    assert.deepEqual(readdirSync(join(root, 'kit')), ['old.txt']);
  });
});
