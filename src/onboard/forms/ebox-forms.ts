/**
 * The eBox request forms (seed 003 §8 "fiche de demande"): the sender institution, its
 * application(s) with the subject their signing certificates must carry, and the document
 * types they will publish, as a PDF (A4 landscape; tables continue on further pages) and as
 * CSV (one line per document type). Dates are data: nothing here reads the clock.
 */
import { csvTable } from './_csv.ts';
import { type CheckedEbox, checkEbox, EBOX_FORMS_SEND_TO, type EboxFormsData } from './_ebox-data.ts';
import { EBOX_LABELS } from './_ebox-labels.ts';
import { contactLine, type FormPdfOptions } from './_fields.ts';
import { formLanguage } from './_language.ts';
import { FormCanvas } from './_pdf-layout.ts';

/** The eBox request forms as a PDF in French, Dutch or English. */
export async function eboxFormsPdf(data: EboxFormsData, options: FormPdfOptions): Promise<Uint8Array> {
  const l = EBOX_LABELS[formLanguage(options)];
  const d = checkEbox(data);
  const c = await FormCanvas.create({
    title: `${l.title} – ${d.name}`,
    subject: l.subtitle,
    language: options.language === 'en' ? 'en' : `${options.language}-BE`,
  });
  const label = { field: 'label' };

  c.line(l.title, { size: 15, bold: true }, label, 0);
  c.line(l.subtitle, { size: 11, bold: true }, label, 0);
  c.line(`${l.sendTo} : ${EBOX_FORMS_SEND_TO}`, { size: 9 }, label, 8);
  c.fields([{ label: l.requestDate, value: d.requestDate, field: 'requestDate' }]);
  c.cell(
    l.environments,
    { x: c.left, top: c.y, width: 230, height: 20 },
    { size: 8.5, bold: true, fill: true },
    label,
  );
  c.rect({ x: c.left + 230, top: c.y, width: c.width - 230, height: 20 });
  let x = c.left + 236;
  for (const env of ['acpt', 'prod'] as const)
    x = c.checkbox(x, c.y + 5, d.environments.includes(env), l.environment[env]);
  c.y += 30;

  c.heading(l.institutionSection, 100);
  c.fields([
    { label: l.institutionName, value: d.name, field: 'institution.name' },
    { label: l.cbe, value: d.cbe, field: 'institution.cbe' },
    { label: l.registered, value: d.registered ? l.yes : l.no, field: 'institution.alreadyRegistered' },
    { label: l.businessContact, value: contactLine(d.business), field: 'institution.contacts.business' },
    { label: l.technicalContact, value: contactLine(d.technical), field: 'institution.contacts.technical' },
  ]);
  c.y += 10;

  const col = (title: string, weight: number, align: 'left' | 'center' = 'left') => ({
    title,
    weight,
    align,
  });
  const cell = (text: string, field: string) => ({ text, field });
  c.heading(l.applicationSection, 80);
  c.table({
    columns: [col('#', 2.4, 'center'), col(l.urn, 22), col(l.name, 14), col(l.description, 30)].concat([
      col(l.onlineService, 16),
      col(l.known, 6, 'center'),
    ]),
    rows: d.applications.map((a, i) => [
      cell(String(i + 1), 'label'),
      cell(a.urn, `applications[${i}].urn`),
      cell(a.name, `applications[${i}].name`),
      cell(a.description, `applications[${i}].description`),
      cell(a.onlineServiceUrl, `applications[${i}].onlineServiceUrl`),
      cell(a.registered ? l.yes : l.no, `applications[${i}].alreadyRegistered`),
    ]),
    headerHeight: 18,
    rowHeight: 40,
    size: 8,
    minSize: 5.5,
  });
  c.y += 10;
  c.heading(l.certificateSection, 60);
  c.table({
    columns: [col('#', 2.4, 'center'), col(l.application, 22), col(l.subject, 66)],
    rows: d.applications.map((a, i) => [
      cell(String(i + 1), 'label'),
      cell(a.urn, `applications[${i}].urn`),
      cell(a.subject, `applications[${i}]`),
    ]),
    headerHeight: 18,
    rowHeight: 30,
    size: 8,
    minSize: 5.5,
  });

  c.addPage();
  c.heading(l.documentSection, 80);
  c.table({
    columns: [
      col('#', 2.4, 'center'),
      col(l.messageType, 10),
      col(l.nameIn('FR'), 11),
      col(l.nameIn('NL'), 11),
    ]
      .concat([
        col(l.nameIn('DE'), 11),
        col(l.nameIn('EN'), 11),
        col(l.application, 13.5),
        col(l.trigger, 8.5),
      ])
      .concat([col(l.retention, 8, 'center'), col(l.volume, 6.5, 'center'), col(l.description, 17)]),
    rows: d.documentTypes.map((t, i) => {
      const f = `documentTypes[${i}]`;
      const languages = ['fr', 'nl', 'de', 'en'] as const;
      return [
        cell(String(i + 1), 'label'),
        cell(t.messageType || `(${l.toBeAssigned})`, `${f}.messageType`),
        ...t.names.map((name, k) => cell(name, `${f}.names.${languages[k]}`)),
        cell(t.application, `${f}.application`),
        cell(l.triggers[t.trigger], `${f}.trigger`),
        cell(t.retentionMonths, `${f}.retentionMonths`),
        cell(t.volumePerYear, `${f}.volumePerYear`),
        cell(t.description, `${f}.description`),
      ];
    }),
    headerHeight: 24,
    rowHeight: 44,
    size: 8,
    minSize: 5.5,
  });
  return c.save(`${l.title} – ${d.name} – ${d.requestDate}`, l.page, { field: 'institution.name' });
}

const HEADER = [
  'request_date',
  'environments',
  'institution_name',
  'institution_cbe',
  'institution_registered',
  'business_contact_name',
  'business_contact_email',
  'business_contact_phone',
  'technical_contact_name',
  'technical_contact_email',
  'technical_contact_phone',
  'application_urn',
  'application_name',
  'application_description',
  'application_online_service',
  'application_registered',
  'certificate_subject',
  'document_row',
  'message_type',
  'name_fr',
  'name_nl',
  'name_de',
  'name_en',
  'document_description',
  'trigger',
  'retention_months',
  'volume_per_year',
] as const;

function csvLines(d: CheckedEbox): string[][] {
  const { business: b, technical: t } = d;
  const form = [d.requestDate, d.environments.join(';'), d.name, d.cbe, String(d.registered)];
  form.push(b.name, b.email, b.phone, t.name, t.email, t.phone);
  return d.applications.flatMap((a) => {
    const app = [a.urn, a.name, a.description, a.onlineServiceUrl, String(a.registered), a.subject];
    const types = d.documentTypes
      .map((type, i) => ({ type, i }))
      .filter(({ type }) => type.application === a.urn);
    if (types.length === 0) return [[...form, ...app, ...Array<string>(10).fill('')]];
    return types.map(({ type, i }) => [
      ...form,
      ...app,
      String(i + 1),
      type.messageType,
      ...type.names,
      type.description,
      type.trigger,
      type.retentionMonths,
      type.volumePerYear,
    ]);
  });
}

/**
 * The eBox request forms as RFC 4180 CSV: a header row, then one line per document type with its
 * institution and application (an application without document types has one line of its own).
 */
export function eboxFormsCsv(data: EboxFormsData): string {
  return csvTable(HEADER, csvLines(checkEbox(data)));
}
