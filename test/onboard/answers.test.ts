import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseAnswers, readAnswersFile } from '../../src/onboard/index.ts';
import { rejectsCode, throwsCode } from '../_support/assert-code.ts';
import { tempDir } from '../_support/tmp.ts';
import { rawAnswers, withField } from './_answers.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../docs/onboarding-answers.example.yaml');

/** The error of parseAnswers(raw): ERR_ONBOARD_ANSWERS_INVALID asserted, its fields and message returned. */
function refusal(raw: unknown): { fields: readonly string[]; message: string } {
  let caught: { fields: readonly string[]; message: string } | undefined;
  throwsCode(() => {
    try {
      parseAnswers(raw);
    } catch (e) {
      const err = e as { details: { fields: readonly string[] }; message: string };
      caught = { fields: err.details.fields, message: err.message };
      throw e;
    }
  }, 'ERR_ONBOARD_ANSWERS_INVALID');
  return caught!;
}

describe('onboarding answers', () => {
  it('the example answers file is valid: CBE normalised, lists deduplicated in canonical order', async () => {
    const a = await readAnswersFile(EXAMPLE);
    assert.equal(a.institution.cbe, '0123456749');
    assert.equal(a.institution.language, 'fr');
    assert.deepEqual(a.environments, ['test', 'acpt', 'prod']);
    assert.deepEqual(a.services, ['soap', 'mtom', 'rest', 'oauth', 'sftp', 'ebox']);
    assert.deepEqual(a.network.sourceIps, ['10.20.30.40']);
    assert.equal(a.desiredDate, '2027-03-01');
    const b = parseAnswers(withField('services', ['ebox', 'soap', 'ebox']));
    assert.deepEqual(b.services, ['soap', 'ebox']);
  });

  it('a CBE with a wrong check digit is refused naming institution.cbe: checksum', () => {
    const r = refusal(withField('institution.cbe', '0123.456.750'));
    assert.deepEqual(r.fields, ['institution.cbe']);
    assert.match(r.message, /institution\.cbe: checksum \(the check digits are 50, expected 49/);
    // Not a checksum problem: the length.
    const short = refusal(withField('institution.cbe', '12345'));
    assert.match(short.message, /institution\.cbe: it has 5 digits/);
    assert.doesNotMatch(short.message, /checksum/);
  });

  it('a YAML number CBE (leading zero lost) is read as the 9-digit old form', () => {
    assert.equal(parseAnswers(withField('institution.cbe', 123456749)).institution.cbe, '0123456749');
  });

  it('an IP that is not IPv4 syntax is refused naming the list entry', () => {
    for (const bad of ['10.0.0.256', '10.0.0', 'example.be', '::1']) {
      const r = refusal(withField('network.sourceIps', ['10.0.0.1', bad]));
      assert.deepEqual(r.fields, ['network.sourceIps.1'], bad);
      assert.match(r.message, /network\.sourceIps\.1: not an IPv4 address/);
    }
    assert.deepEqual(refusal(withField('network.natIp', '300.1.1.1')).fields, ['network.natIp']);
    assert.deepEqual(refusal(withField('network.sourceIps', [])).fields, ['network.sourceIps']);
  });

  it('an unknown service or environment is refused, naming the entry and the allowed values', () => {
    const s = refusal(withField('services', ['soap', 'ftp']));
    assert.deepEqual(s.fields, ['services.1']);
    assert.match(
      s.message,
      /services\.1: unknown service "ftp" \(one of soap, mtom, rest, oauth, sftp, ebox\)/,
    );
    const e = refusal(withField('environments', ['dev']));
    assert.deepEqual(e.fields, ['environments.0']);
    assert.match(e.message, /unknown environment "dev" \(one of test, acpt, prod\)/);
    assert.match(refusal(withField('institution.language', 'de')).message, /unknown language "de"/);
  });

  it('ebox without an eBox application URN, a bad URN, e-mail, phone or date: each field named', () => {
    assert.deepEqual(refusal(withField('applications.ebox', undefined)).fields, ['applications.ebox']);
    assert.deepEqual(refusal(withField('applications.cbss', 'my app')).fields, ['applications.cbss']);
    assert.deepEqual(refusal(withField('contacts.technicalLead.email', 'jan@')).fields, [
      'contacts.technicalLead.email',
    ]);
    assert.deepEqual(refusal(withField('contacts.securityAdviser.phone', 'call me')).fields, [
      'contacts.securityAdviser.phone',
    ]);
    assert.deepEqual(refusal(withField('desiredDate', '2027-02-30')).fields, ['desiredDate']);
    // A name a certificate subject cannot hold.
    assert.deepEqual(refusal(withField('institution.name', 'A "quoted" name')).fields, ['institution.name']);
    assert.deepEqual(refusal(withField('institution.name', 'x'.repeat(65))).fields, ['institution.name']);
  });

  it('ebox needs its forms section and acpt or prod; a bad document type field is named', () => {
    assert.deepEqual(refusal(withField('ebox', undefined)).fields, ['ebox']);
    const testOnly = refusal(withField('environments', ['test']));
    assert.deepEqual(testOnly.fields, ['environments']);
    assert.match(testOnly.message, /acpt and prod only/);
    const raw = rawAnswers() as { ebox: { documentTypes: Record<string, unknown>[] } };
    raw.ebox.documentTypes[0]!['trigger'] = 'robot';
    const r = refusal(raw);
    assert.deepEqual(r.fields, ['ebox.documentTypes.0.trigger']);
    assert.match(r.message, /unknown trigger "robot"/);
    // Without ebox, no eBox section is needed.
    assert.equal(parseAnswers(withField('ebox', undefined, withField('services', ['soap']))).ebox, undefined);
  });

  it('every bad field is named at once, unknown keys too', () => {
    const raw = withField('network.sourceIps', ['1.2.3'], withField('services', ['mail']));
    const r = refusal({ ...raw, extra: true });
    assert.deepEqual([...r.fields].sort(), ['(root)', 'network.sourceIps.0', 'services.0']);
    assert.match(r.message, /unknown field\(s\) extra/);
  });

  it('an answers file that is not YAML, or missing, is refused with its code', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'bad.yaml'), 'institution: [unclosed\n');
    const e = await rejectsCode(readAnswersFile(join(dir, 'bad.yaml')), 'ERR_ONBOARD_ANSWERS_INVALID');
    assert.equal(e.details['source'], join(dir, 'bad.yaml'));
    await rejectsCode(readAnswersFile(join(dir, 'none.yaml')), 'ERR_FILE_NOT_FOUND');
    writeFileSync(join(dir, 'ok.yaml'), JSON.stringify(rawAnswers()));
    assert.equal((await readAnswersFile(join(dir, 'ok.yaml'))).institution.name, 'Office national de test');
  });
});
