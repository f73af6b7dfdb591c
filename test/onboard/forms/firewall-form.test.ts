import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type FirewallFlowRow,
  type FirewallFormData,
  firewallFormCsv,
  firewallFormPdf,
} from '../../../src/onboard/forms/index.ts';
import { rejectsCode, throwsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { csvRecords } from './_csv-parse.ts';
import { FIREWALL, FLOWS, NAT_IP } from './_fixtures.ts';
import { pdfRawText, pdfText, popplerPresent, renderFirstPage, requirePoppler, squeeze } from './_poppler.ts';

const with_ = (patch: Partial<FirewallFormData>): FirewallFormData => ({ ...FIREWALL, ...patch });
const rowWith = (i: number, patch: Partial<FirewallFlowRow>): FirewallFormData =>
  with_({ rows: FLOWS.map((r, k) => (k === i ? { ...r, ...patch } : r)) });

test('firewall form (fr): pdftotext reads the institution, CBE, every destination IP and port, the note and the signature blocks, accents intact; pdftoppm renders page 1 in landscape', async (t) => {
  if (!requirePoppler(t)) return;
  const dir = tempDir(t, 'passerelle-forms-');
  const pdf = await firewallFormPdf(FIREWALL, { language: 'fr' });
  const text = squeeze(pdfText(pdf, dir, 'firewall-fr'));
  for (const expected of [
    'EXTRANET – Firewall IP Flux Management',
    "Formulaire d'ouverture de flux",
    'Caisse d’allocations familiales Hénallux – Société coopérative',
    '0123.456.749',
    'KSZ-BCSS / BCSS',
    'X Ouverture',
    'Projet « Passerelle » : accéder aux services web publiés par la BCSS',
    '2027-01-15',
    'Anaïs Lefèvre · anais.lefevre@example.be · +32 2 555 01 23',
    'Joëlle Van den Bossche',
    'EXPL-2027-0042',
    'IMP-77',
    "Ajouter l'adresse IP source à la règle du groupe TEST-CUSTOMER / ACPT-CUSTOMER / PROD-CUSTOMER.",
    'Trafic dans le tunnel VPN ; port 4520 = WS, 4522 = WS avec MTOM.',
    'Conseiller en sécurité ou son adjoint',
    'Responsable technique',
    'Signature',
    "Institution qui donne l'accès : KSZ-BCSS / BCSS",
    "Pour rappel : Smals n'est pas l'institution qui donne l'accès.",
    'Échanges de fichiers batch',
    'Flux demandés 1–5 sur 5',
  ])
    assert.ok(text.includes(expected), `missing: ${expected}`);
  for (const row of FLOWS) {
    const port = ([] as number[]).concat(row.destination.port as number | number[]).join(', ');
    const line = new RegExp(
      `${row.destination.name.replace(/\./g, '\\.')} ${row.destination.ip.replace(/\./g, '\\.')} ${port} `,
    );
    assert.match(text, line, `the row to ${row.destination.name}:${port}`);
  }
  assert.equal(text.split(NAT_IP).length - 1, FLOWS.length, 'the NAT IP on every row');
  assert.equal(
    (text.match(/Conseiller en sécurité ou son adjoint/g) ?? []).length,
    2,
    'both institutions sign',
  );
  assert.match(text, /Page 3 \/ 3/);
  const png = renderFirstPage(pdf, dir, 'firewall-fr');
  assert.ok(png.width > png.height, `landscape A4 at 60 dpi, got ${png.width}x${png.height}`);
  assert.ok(Math.abs(png.width - 702) <= 2 && Math.abs(png.height - 496) <= 2, `${png.width}x${png.height}`);
});

test('firewall form in Dutch and English: the labels of the language, the close action ticked', async (t) => {
  if (!requirePoppler(t)) return;
  const dir = tempDir(t, 'passerelle-forms-');
  const nl = squeeze(
    pdfText(await firewallFormPdf(with_({ action: 'close' }), { language: 'nl' }), dir, 'nl'),
  );
  for (const label of [
    'Formulier voor het openen van flows',
    'Aanvragende instelling',
    'Instelling die de toegang verleent',
    'Gewenste uitvoeringsdatum',
    'Bestemming',
    'Het bron-IP-adres toevoegen aan de regel van de groep',
    'Veiligheidsconsulent of zijn adjunct',
    'Handtekening',
    'Pagina 1 / 3',
  ])
    assert.ok(nl.includes(label), `nl: ${label}`);
  assert.match(nl, /Opening X Sluiten/, 'Sluiten is ticked');
  const en = squeeze(pdfText(await firewallFormPdf(FIREWALL, { language: 'en' }), dir, 'en'));
  for (const label of ['Firewall flow opening form', 'Requesting institution', 'Security adviser or deputy'])
    assert.ok(en.includes(label), `en: ${label}`);
  assert.match(en, /X Open Close/);
});

test('more than ten flows continue on further form pages, ten rows each, numbered on', async (t) => {
  if (!requirePoppler(t)) return;
  const dir = tempDir(t, 'passerelle-forms-');
  const rows = Array.from({ length: 23 }, (_, i) => ({
    ...FLOWS[0]!,
    destination: { name: `host-${i + 1}.example.be`, ip: `203.0.113.${i + 1}`, port: 8000 + i },
  }));
  const text = squeeze(pdfText(await firewallFormPdf(with_({ rows }), { language: 'fr' }), dir, 'many'));
  for (const range of ['1–10 sur 23', '11–20 sur 23', '21–23 sur 23']) assert.ok(text.includes(range), range);
  assert.match(text, /Page 5 \/ 5/, 'header page, three flow pages, signature page');
  for (let i = 1; i <= 23; i++)
    assert.match(text, new RegExp(` ${i} srv-passerelle-01 .* 203\\.0\\.113\\.${i} ${8000 + i - 1} `));
});

test('the PDF is the same bytes on every run and carries no date of its own (no clock read)', async () => {
  const a = await firewallFormPdf(FIREWALL, { language: 'fr' });
  const b = await firewallFormPdf(FIREWALL, { language: 'fr' });
  assert.deepEqual(Buffer.from(a), Buffer.from(b));
  const raw = Buffer.from(a).toString('latin1');
  assert.ok(raw.startsWith('%PDF-'));
  assert.ok(!raw.includes('/CreationDate') && !raw.includes('/ModDate'));
});

test('letters outside WinAnsi are transliterated; characters with no stand-in are refused with the field named', async (t) => {
  const pdf = await firewallFormPdf(
    with_({ requester: { name: 'Łódź – Kraków – Győr ≥ 2', cbe: '0123456749' } }),
    {
      language: 'fr',
    },
  );
  if (popplerPresent(t)) {
    const text = pdfText(pdf, tempDir(t, 'passerelle-forms-'), 'translit');
    assert.ok(text.includes('Lódz – Kraków – Gyor >= 2'), 'Ł, ź, ő and ≥ printed as Latin stand-ins, ó kept');
  }
  for (const name of ['北京 Institution', 'Institution 🙂', 'Bad\u0007bell']) {
    const e = await rejectsCode(
      firewallFormPdf(with_({ requester: { name, cbe: '0123456749' } }), { language: 'fr' }),
      'ERR_ONBOARD_FORM_INVALID',
    );
    assert.equal(e.details['field'], 'requester.name');
  }
});

test('bad form data is refused with ERR_ONBOARD_FORM_INVALID naming the field', async () => {
  const cases: [FirewallFormData, string][] = [
    [with_({ requester: { name: 'X', cbe: '0123.456.748' } }), 'requester.cbe'],
    [with_({ desiredDate: '2027-02-30' }), 'desiredDate'],
    [with_({ desiredDate: '15/01/2027' }), 'desiredDate'],
    [with_({ action: 'maybe' as 'open' }), 'action'],
    [with_({ rows: [] }), 'rows'],
    [with_({ description: '   ' }), 'description'],
    [with_({ operationsReference: '' }), 'operationsReference'],
    [
      with_({
        contacts: {
          ...FIREWALL.contacts,
          technicalLead: { name: 'A', email: 'nope', phone: '+32 2 555 00 00' },
        },
      }),
      'contacts.technicalLead.email',
    ],
    [
      with_({
        contacts: { ...FIREWALL.contacts, clientManager: { name: 'A', email: 'a@b.be', phone: 'call me' } },
      }),
      'contacts.clientManager.phone',
    ],
    [rowWith(1, { source: { ...FLOWS[1]!.source, internalIp: '10.0.0.256' } }), 'rows[1].source.internalIp'],
    [
      rowWith(1, { source: { ...FLOWS[1]!.source, internalIp: ['10.0.0.1', 'ten'] } }),
      'rows[1].source.internalIp[1]',
    ],
    [rowWith(2, { source: { ...FLOWS[2]!.source, natIp: '198.51.100.7/33' } }), 'rows[2].source.natIp'],
    [rowWith(0, { destination: { ...FLOWS[0]!.destination, port: 70000 } }), 'rows[0].destination.port'],
    [rowWith(0, { destination: { ...FLOWS[0]!.destination, port: [4520, 0] } }), 'rows[0].destination.port'],
    [rowWith(3, { destination: { ...FLOWS[3]!.destination, ip: 'not an ip' } }), 'rows[3].destination.ip'],
    [rowWith(4, { environment: 'dev' as 'test' }), 'rows[4].environment'],
    [rowWith(4, { protocol: '' }), 'rows[4].protocol'],
    [rowWith(0, { description: 'x'.repeat(121) }), 'rows[0].description'],
    // within the length limit, but too wide for its cell even cut and at the smallest size
    [rowWith(0, { source: { ...FLOWS[0]!.source, name: 'W'.repeat(60) } }), 'rows[0].source.name'],
  ];
  for (const [data, field] of cases) {
    const e = await rejectsCode(firewallFormPdf(data, { language: 'fr' }), 'ERR_ONBOARD_FORM_INVALID');
    assert.equal(e.details['field'], field, e.message);
    if (field !== 'rows[0].source.name') throwsCode(() => firewallFormCsv(data), 'ERR_ONBOARD_FORM_INVALID');
  }
  await assert.rejects(firewallFormPdf(FIREWALL, { language: 'de' as 'fr' }), TypeError);
});

test('a destination without a published IP keeps its host name; an "all" row adds every customer group', async (t) => {
  const rows: FirewallFlowRow[] = [
    { ...FLOWS[0]! },
    {
      ...FLOWS[4]!,
      environment: 'all',
      destination: { name: 'sftp', ip: 'stransferv2.extranetssz.be', port: 22 },
    },
  ];
  const pdf = await firewallFormPdf(with_({ rows }), { language: 'en' });
  if (popplerPresent(t)) {
    const text = squeeze(pdfText(pdf, tempDir(t, 'passerelle-forms-'), 'all'));
    assert.ok(text.includes('stransferv2.extranetssz.be 22 SFTP all'));
    assert.ok(
      text.includes(
        'Add the source IP address to the TEST-CUSTOMER / ACPT-CUSTOMER / PROD-CUSTOMER group rule.',
      ),
    );
  }
  const [, sftp] = csvRecords(firewallFormCsv(with_({ rows })));
  assert.equal(sftp?.['customer_group'], 'TEST-CUSTOMER;ACPT-CUSTOMER;PROD-CUSTOMER');
});

test('firewall CSV: a header row and one RFC 4180 line per flow that parse back to the data', () => {
  const csv = firewallFormCsv(FIREWALL);
  assert.ok(csv.endsWith('\r\n'));
  const records = csvRecords(csv);
  assert.equal(records.length, FLOWS.length);
  FLOWS.forEach((row, i) => {
    const r = records[i]!;
    assert.equal(r['row'], String(i + 1));
    assert.equal(r['action'], 'open');
    assert.equal(r['requesting_institution'], FIREWALL.requester.name);
    assert.equal(r['requesting_cbe'], '0123.456.749');
    assert.equal(r['granting_institution'], 'KSZ-BCSS / BCSS');
    assert.equal(r['description'], FIREWALL.description, 'a multi-line field survives quoting');
    assert.equal(r['environment'], row.environment);
    assert.equal(r['source_ip_internal'], '10.20.30.40');
    assert.equal(r['source_ip_nat'], NAT_IP);
    assert.equal(r['source_port'], 'any');
    assert.equal(r['destination_name'], row.destination.name);
    assert.equal(r['destination_ip'], row.destination.ip);
    assert.equal(r['destination_port'], ([] as number[]).concat(row.destination.port as number).join(', '));
    assert.equal(r['protocol'], row.protocol);
    assert.equal(r['flow_description'], row.description);
    assert.equal(r['client_manager_email'], 'anais.lefevre@example.be');
    assert.equal(r['imputation_code'], 'IMP-77');
  });
  assert.equal(records[1]!['customer_group'], 'ACPT-CUSTOMER');
});

test('firewall CSV: cells a spreadsheet would run as formulas get a leading apostrophe; quotes and commas round-trip', () => {
  const hostile = rowWith(0, {
    description: '=HYPERLINK("http://evil.example","click")',
    protocol: '+cmd|calc',
    source: { ...FLOWS[0]!.source, name: '@SUM(A1:A9)' },
    destination: { ...FLOWS[0]!.destination, name: '-2+3' },
  });
  const [r] = csvRecords(firewallFormCsv(with_({ ...hostile, note: 'say "hi", then leave' })));
  assert.equal(r?.['flow_description'], `'=HYPERLINK("http://evil.example","click")`);
  assert.equal(r?.['protocol'], "'+cmd|calc");
  assert.equal(r?.['source_name'], "'@SUM(A1:A9)");
  assert.equal(r?.['destination_name'], "'-2+3");
  assert.equal(r?.['note'], 'say "hi", then leave');
});

/** Words of mixed widths, accented, cut to `n` characters. */
const words = (n: number): string =>
  Array.from(
    { length: 400 },
    (_, i) => ['Überprüfung', 'des', 'flux', 'réseau', 'sécurisés', 'via', 'VPN'][i % 7],
  )
    .join(' ')
    .slice(0, n)
    .trim();

test('every field at its longest still fits its cell (rows stay ten a page); an unbreakable text too wide even at the smallest size is refused', async (t) => {
  const rows = Array.from({ length: 12 }, (_, i) => ({
    ...FLOWS[i % FLOWS.length]!,
    source: {
      name: words(60),
      internalIp: ['10.20.30.40', '10.20.30.41'],
      natIp: '2001:db8:85a3::8a2e:370:7334/128',
      port: [1024, 65535],
    },
    protocol: words(30),
    description: words(120),
  }));
  const longest = with_({
    requester: { name: words(120), cbe: '0123456749' },
    description: words(1500),
    note: words(600),
    rows,
  });
  const pdf = await firewallFormPdf(longest, { language: 'nl' });
  if (popplerPresent(t)) {
    const text = squeeze(pdfText(pdf, tempDir(t, 'passerelle-forms-'), 'longest'));
    assert.ok(
      text.includes('Gevraagde stromen 1–10 van 12') && text.includes('Gevraagde stromen 11–12 van 12'),
    );
    assert.match(text, /Pagina 4 \/ 4/, 'header, two flow pages, signatures');
  }
  const e = await rejectsCode(
    firewallFormPdf(with_({ description: 'W'.repeat(1500) }), { language: 'fr' }),
    'ERR_ONBOARD_FORM_INVALID',
  );
  assert.equal(e.details['field'], 'description');
});

test('the widest name allowed fits every place it is printed (header, flow pages, signatures, footer)', async (t) => {
  const name = 'W'.repeat(120);
  const pdf = await firewallFormPdf(with_({ requester: { name, cbe: '0123456749' } }), { language: 'fr' });
  if (popplerPresent(t)) {
    const text = pdfRawText(pdf, tempDir(t, 'passerelle-forms-'), 'wide');
    assert.ok(
      text.split(name).length - 1 >= 4,
      'the name whole in header, flow page, signatures and footers',
    );
  }
});
