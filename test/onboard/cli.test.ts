import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { promptAnswers } from '../../src/cli/onboard-impl.ts';
import { FrozenClock } from '../../src/clock.ts';
import { rejectsCode } from '../_support/assert-code.ts';
import { captureIo, tempDir } from '../_support/tmp.ts';
import { withField } from './_answers.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../docs/onboarding-answers.example.yaml');

const run = async (cwd: string, ...args: string[]) => {
  const cap = captureIo();
  const status = await main(['node', 'passerelle', ...args], {
    io: cap.io,
    env: {},
    cwd,
    clock: new FrozenClock('2026-12-03T08:00:00Z'),
  });
  return { status, stdout: cap.stdout, stderr: cap.stderr };
};

describe('passerelle onboard init', () => {
  it('writes the folder from the example answers file; --json lists the files, never key contents', async (t) => {
    const dir = tempDir(t);
    const r = await run(dir, '--json', 'onboard', 'init', '--answers', EXAMPLE, '--out', 'kit');
    assert.equal(r.status, 0, r.stderr);
    const v = JSON.parse(r.stdout);
    assert.equal(v.ok, true);
    assert.equal(v.outDir, join(dir, 'kit'));
    // 8 certificates (no eBox in test: the service exists in acpt and prod only) × 3 files, the forms, 3 more.
    assert.equal(v.files.length, 8 * 3 + 4 + 3);
    for (const env of ['test', 'acpt', 'prod'])
      for (const purpose of ['tls', 'ebox', 'oauth'])
        for (const ext of ['csr', 'key', 'key.pass'])
          assert.equal(v.files.includes(`${env}/${purpose}.${ext}`), env !== 'test' || purpose !== 'ebox');
    for (const form of ['firewall-form.pdf', 'firewall-form.csv', 'ebox-forms.pdf', 'ebox-forms.csv'])
      assert.ok(v.files.includes(`forms/${form}`), form);
    assert.deepEqual(v.forms, {
      firewall: ['forms/firewall-form.pdf', 'forms/firewall-form.csv'],
      ebox: ['forms/ebox-forms.pdf', 'forms/ebox-forms.csv'],
    });
    for (const file of v.files) statSync(join(dir, 'kit', file));
    assert.equal(v.flows.length, 10);
    assert.deepEqual(v.flows[3], {
      row: 4,
      environment: 'acpt',
      service: 'soap',
      destination: '85.91.184.103:4520',
      protocol: 'HTTPS/TCP',
    });
    assert.equal(v.kit.length, 8);
    assert.doesNotMatch(r.stdout, /PRIVATE KEY|BEGIN/);
    // No password leaks either.
    const password = readFileSync(join(dir, 'kit', 'acpt/tls.key.pass'), 'utf8').trim();
    assert.ok(!r.stdout.includes(password));
    assert.match(readFileSync(join(dir, 'kit', 'README.md'), 'utf8'), /^# Dossier d'onboarding/);

    // A second run into the same folder is refused (exit 1) unless --force.
    const again = await run(dir, 'onboard', 'init', '--answers', EXAMPLE, '--out', 'kit');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /ERR_ONBOARD_OUT_EXISTS/);
  });

  it('bad answers exit 1 naming the field and the code; no --answers off a terminal is a usage error', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a.yaml'), stringify(withField('services', ['soap', 'telnet'])));
    const r = await run(dir, '--json', 'onboard', 'init', '--answers', 'a.yaml', '--out', 'kit');
    assert.equal(r.status, 1);
    const v = JSON.parse(r.stdout);
    assert.equal(v.error.code, 'ERR_ONBOARD_ANSWERS_INVALID');
    assert.deepEqual(v.error.details.fields, ['services.1']);
    assert.match(v.error.message, /services\.1: unknown service "telnet"/);
    const usage = await run(dir, '--json', 'onboard', 'init', '--out', 'kit');
    assert.equal(usage.status, 2);
    assert.equal(JSON.parse(usage.stdout).error.code, 'ERR_USAGE');
  });

  it('the prompts check each answer as the file is checked and ask again', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let asked = '';
    output.on('data', (chunk) => {
      asked += String(chunk);
    });
    const lines = [
      'Office national de test',
      '0123.456.750', // wrong check digits: asked again
      '0123.456.749',
      '', // language: the default, fr
      ...['Marie', 'marie@example.be', '+32 2 555 01 01'],
      ...['Jan', 'jan@example.be', '+32 2 555 01 02'],
      ...['Sophie', 'sophie@example.be', '+32 2 555 01 03'],
      'ONT-APP-01',
      '10.20.30.400, 10.20.30.41', // not IPv4: asked again
      '10.20.30.40, 10.20.30.41',
      '', // no NAT
      'acpt, prod',
      'soap, ebox',
      'urn:be:fgov:kbo-bce:ont:app',
      'urn:be:fgov:kbo-bce:ont:ebox-sender',
      'ONT benefits',
      'Benefit decisions.',
      'Décision',
      'Beslissing',
      'Entscheidung',
      'The decision on a benefit request.',
      'anyone', // not a trigger: asked again
      'citizen',
      '2027-03-01',
      'DOS-1',
      '',
      '',
    ];
    input.end(`${lines.join('\n')}\n`);
    const answers = await promptAnswers({ input, output });
    assert.equal(answers.institution.cbe, '0123456749');
    assert.equal(answers.institution.language, 'fr');
    assert.deepEqual(answers.network.sourceIps, ['10.20.30.40', '10.20.30.41']);
    assert.equal(answers.network.natIp, undefined);
    assert.deepEqual(answers.environments, ['acpt', 'prod']);
    assert.equal(answers.applications.ebox, 'urn:be:fgov:kbo-bce:ont:ebox-sender');
    assert.equal(answers.operationsFile, 'DOS-1');
    assert.deepEqual(answers.ebox?.documentTypes, [
      {
        names: { fr: 'Décision', nl: 'Beslissing', de: 'Entscheidung' },
        description: 'The decision on a benefit request.',
        trigger: 'citizen',
      },
    ]);
    assert.match(asked, /unknown trigger "anyone"/);
    assert.match(asked, /checksum/);
    assert.match(asked, /not an IPv4 address: "10\.20\.30\.400"/);
    assert.doesNotMatch(asked, /OAuth/, 'no OAuth question without rest or oauth');

    const short = new PassThrough();
    short.end('Office national de test\n');
    await rejectsCode(promptAnswers({ input: short, output: new PassThrough() }), 'ERR_USAGE');
  });
});
