import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCda, readCda } from '../../src/mss/cda.ts';
import { rejectsCode, throwsCode } from '../_support/assert-code.ts';
import { tempDir } from '../_support/tmp.ts';
import { sampleCda } from './cda-sample.ts';

test('cda: code, displayName, title and the INS (test OID) are read; bytes kept as they are', async (t) => {
  const file = join(tempDir(t), 'cr.xml');
  writeFileSync(file, sampleCda());
  const doc = await readCda(file);
  assert.equal(doc.name, 'cr.xml');
  assert.equal(doc.code, '11488-4');
  assert.equal(doc.codeSystem, '2.16.840.1.113883.6.1');
  assert.equal(doc.displayName, 'Note de consultation');
  assert.equal(doc.title, 'Compte rendu de consultation');
  assert.equal(doc.ins, true);
  assert.equal(doc.insRoot, '1.2.250.1.213.1.4.10');
  assert.equal(doc.bytes.toString('utf8'), sampleCda());
  assert.equal(parseCda(Buffer.from(sampleCda({ ins: false }))).ins, false);
});

test('cda: not a ClinicalDocument, no code, a DOCTYPE, not XML → ERR_MSS_CDA_INVALID; missing file → ERR_FILE_NOT_FOUND', async (t) => {
  throwsCode(() => parseCda(Buffer.from('<ClinicalDocument/>')), 'ERR_MSS_CDA_INVALID');
  throwsCode(() => parseCda(Buffer.from('<x xmlns="urn:hl7-org:v3"/>')), 'ERR_MSS_CDA_INVALID');
  throwsCode(
    () => parseCda(Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><code/></ClinicalDocument>')),
    'ERR_MSS_CDA_INVALID',
  );
  throwsCode(
    () =>
      parseCda(Buffer.from(`<!DOCTYPE x [<!ENTITY e "e">]>${sampleCda().replace(/^<\?xml[^>]*>\n/, '')}`)),
    'ERR_MSS_CDA_INVALID',
  );
  throwsCode(() => parseCda(Buffer.from('not xml')), 'ERR_MSS_CDA_INVALID');
  await rejectsCode(readCda(join(tempDir(t), 'missing.xml')), 'ERR_FILE_NOT_FOUND');
});
