import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type EboxDocumentType,
  type EboxFormsData,
  eboxFormsCsv,
  eboxFormsPdf,
} from '../../../src/onboard/forms/index.ts';
import { rejectsCode, throwsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { csvRecords } from './_csv-parse.ts';
import { APP_URN, EBOX } from './_fixtures.ts';
import { pdfRawText, pdfText, popplerPresent, renderFirstPage, requirePoppler, squeeze } from './_poppler.ts';

const with_ = (patch: Partial<EboxFormsData>): EboxFormsData => ({ ...EBOX, ...patch });
const typeWith = (patch: Partial<EboxDocumentType>): EboxFormsData =>
  with_({ documentTypes: [{ ...EBOX.documentTypes[0]!, ...patch }] });

test('eBox forms (fr): pdftotext reads the institution, CBE, applications, certificate subjects and document types, accents and umlauts intact; pdftoppm renders page 1', async (t) => {
  if (!requirePoppler(t)) return;
  const dir = tempDir(t, 'passerelle-forms-');
  const pdf = await eboxFormsPdf(EBOX, { language: 'fr' });
  const text = squeeze(pdfText(pdf, dir, 'ebox-fr'));
  for (const expected of [
    'eBox Citoyen – Fiche de demande',
    'Fiche complétée à envoyer à : eboxintegration@smals.be',
    '2027-01-04',
    'X acceptation X production',
    "1. Identification de l'institution",
    'Caisse d’allocations familiales Hénallux',
    '0123.456.749',
    'Anaïs Lefèvre · anais.lefevre@example.be · +32 2 555 01 23',
    "2. Identification de l'application",
    'urn:be:fgov:hnlx:passerelle:allocations',
    'urn:be:fgov:hnlx:passerelle:batch',
    'https://www.example.be/allocations',
    'C=BE, O=Federal Government, OU=Caisse d’allocations familiales Hénallux, OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456749,',
    'CN=urn:be:fgov:hnlx:passerelle:batch',
    '3. Identification des types de document',
    '(à attribuer)',
    'Décision d’octroi',
    'Toekenningsbeslissing',
    'Gewährungsbescheid',
    'Page 2 / 2',
  ])
    assert.ok(text.includes(expected), `missing: ${expected}`);
  const raw = pdfRawText(pdf, dir, 'ebox-fr');
  for (const cell of ['Empfangsbestätigung des Antrags', 'demande du citoyen', "initiative de l'institution"])
    assert.ok(raw.includes(cell), `missing cell: ${cell}`);
  assert.match(raw, / 24 12000 /, 'retention and volume of the first type');
  const png = renderFirstPage(pdf, dir, 'ebox-fr');
  assert.ok(png.width > png.height, `landscape, got ${png.width}x${png.height}`);
});

test('eBox forms in Dutch and English: the labels of the language', async (t) => {
  if (!requirePoppler(t)) return;
  const dir = tempDir(t, 'passerelle-forms-');
  const nl = squeeze(pdfText(await eboxFormsPdf(EBOX, { language: 'nl' }), dir, 'nl'));
  for (const label of ['eBox Burger – Aanvraagformulier', '1. Identificatie van de instelling', 'KBO-nummer'])
    assert.ok(nl.includes(label), `nl: ${label}`);
  assert.ok(nl.includes('(toe te kennen)') && nl.includes('Pagina 1 / 2'));
  const en = squeeze(pdfText(await eboxFormsPdf(EBOX, { language: 'en' }), dir, 'en'));
  for (const label of ['Citizen eBox – Request form', 'Signing certificate subject', 'Application URN'])
    assert.ok(en.includes(label), `en: ${label}`);
  const raw = pdfRawText(await eboxFormsPdf(EBOX, { language: 'en' }), dir, 'en');
  assert.ok(raw.includes("citizen's request") && raw.includes("institution's initiative"));
  assert.ok(raw.includes('Retention (months)'));
});

test('many document types continue on further pages with the table header repeated', async (t) => {
  if (!requirePoppler(t)) return;
  const documentTypes = Array.from({ length: 25 }, (_, i) => ({
    ...EBOX.documentTypes[0]!,
    messageType: `HNLX_TYPE_${String(i + 1).padStart(3, '0')}`,
  }));
  const text = squeeze(
    pdfText(await eboxFormsPdf(with_({ documentTypes }), { language: 'en' }), tempDir(t, 'f-'), 'many'),
  );
  for (let i = 1; i <= 25; i++)
    assert.ok(text.includes(`HNLX_TYPE_${String(i).padStart(3, '0')}`), `type ${i}`);
  const pages = Number(/Page 1 \/ (\d+)/.exec(text)?.[1]);
  assert.ok(pages >= 3, `${pages} pages`);
  assert.equal(
    (text.match(/Message type/g) ?? []).length,
    pages - 1,
    'the header on every document-type page',
  );
});

test('eBox CSV: one line per document type with its application and institution, an application without types on a line of its own', () => {
  const records = csvRecords(eboxFormsCsv(EBOX));
  assert.equal(records.length, 3);
  const [first, second, batch] = records;
  assert.equal(first?.['application_urn'], APP_URN);
  assert.equal(first?.['document_row'], '1');
  assert.equal(first?.['message_type'], '');
  assert.equal(first?.['name_de'], 'Empfangsbestätigung des Antrags');
  assert.equal(first?.['trigger'], 'citizen');
  assert.equal(first?.['retention_months'], '24');
  assert.equal(first?.['volume_per_year'], '12000');
  assert.equal(first?.['environments'], 'acpt;prod');
  assert.equal(first?.['institution_cbe'], '0123.456.749');
  assert.equal(first?.['technical_contact_email'], 'joelle.vdb@example.be');
  assert.equal(second?.['message_type'], 'HNLX_DECISION_ALLOC');
  assert.equal(second?.['name_en'], '');
  assert.equal(second?.['volume_per_year'], '');
  assert.equal(batch?.['application_urn'], 'urn:be:fgov:hnlx:passerelle:batch');
  assert.equal(batch?.['application_registered'], 'true');
  assert.equal(batch?.['document_row'], '');
  assert.equal(
    batch?.['certificate_subject'],
    ['acpt', 'prod']
      .map(
        (env) =>
          `${env}: C=BE, O=Federal Government, OU=Caisse d’allocations familiales Hénallux, OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456749, OU=${env === 'acpt' ? 'ACC' : 'PRD'}, CN=urn:be:fgov:hnlx:passerelle:batch`,
      )
      .join('\n'),
  );
});

test('eBox CSV: formula cells prefixed', () => {
  const [r] = csvRecords(
    eboxFormsCsv(typeWith({ description: '=1+1', names: { fr: '+x', nl: '-y', de: '@z' } })),
  );
  assert.deepEqual(
    [r?.['document_description'], r?.['name_fr'], r?.['name_nl'], r?.['name_de']],
    ["'=1+1", "'+x", "'-y", "'@z"],
  );
});

test('bad eBox form data is refused with ERR_ONBOARD_FORM_INVALID naming the field', async () => {
  const app0 = EBOX.applications[0]!;
  const cases: [EboxFormsData, string][] = [
    [with_({ requestDate: '2027-13-01' }), 'requestDate'],
    [with_({ environments: ['test' as 'acpt'] }), 'environments[0]'],
    [with_({ environments: [] }), 'environments'],
    [with_({ institution: { ...EBOX.institution, cbe: '123' } }), 'institution.cbe'],
    [with_({ institution: { ...EBOX.institution, name: '' } }), 'institution.name'],
    [with_({ applications: [] }), 'applications'],
    [with_({ applications: [{ ...app0, urn: 'my application' }] }), 'applications[0].urn'],
    [with_({ applications: [{ ...app0, urn: `urn:x:${'a'.repeat(150)}` }] }), 'applications[0].urn'],
    [with_({ applications: [app0, { ...app0 }] }), 'applications[1].urn'],
    [
      with_({ applications: [{ ...app0, onlineServiceUrl: 'http://www.example.be' }] }),
      'applications[0].onlineServiceUrl',
    ],
    [typeWith({ application: 'urn:be:fgov:other:app' }), 'documentTypes[0].application'],
    [typeWith({ messageType: 'ABC' }), 'documentTypes[0].messageType'],
    [typeWith({ names: { fr: 'a', nl: 'b', de: '' } }), 'documentTypes[0].names.de'],
    [typeWith({ trigger: 'cron' as 'citizen' }), 'documentTypes[0].trigger'],
    [typeWith({ retentionMonths: -1 }), 'documentTypes[0].retentionMonths'],
    [typeWith({ volumePerYear: 1.5 }), 'documentTypes[0].volumePerYear'],
    [with_({ documentTypes: [] }), 'documentTypes'],
  ];
  for (const [data, field] of cases) {
    const e = await rejectsCode(eboxFormsPdf(data, { language: 'nl' }), 'ERR_ONBOARD_FORM_INVALID');
    assert.equal(e.details['field'], field, e.message);
    throwsCode(() => eboxFormsCsv(data), 'ERR_ONBOARD_FORM_INVALID');
  }
  await assert.rejects(eboxFormsPdf(EBOX, { language: 'FR' as 'fr' }), TypeError);
});

test('every eBox field at its longest fits: table rows grow with their longest cell', async (t) => {
  const text = (n: number) => 'Überprüfung des flux réseau sécurisés via VPN '.repeat(20).slice(0, n).trim();
  const app = {
    urn: `urn:be:fgov:${'x'.repeat(52)}`,
    name: text(100),
    description: text(300),
    onlineServiceUrl: `https://www.example.be/${'p'.repeat(170)}`,
  };
  const type = {
    ...EBOX.documentTypes[0]!,
    application: app.urn,
    messageType: 'M'.repeat(80),
    names: { fr: text(100), nl: text(100), de: text(100), en: text(100) },
    description: text(300),
  };
  const pdf = await eboxFormsPdf(with_({ applications: [app], documentTypes: [type] }), { language: 'fr' });
  if (popplerPresent(t)) {
    const raw = pdfRawText(pdf, tempDir(t, 'passerelle-forms-'), 'longest');
    assert.ok(raw.includes(`CN=urn:be:fgov:${'x'.repeat(20)}`));
  }
});
