/**
 * The firewall-flow form (PROTOCOLS.md §10, seed 000 "EXTRANET – Firewall IP Flux Management"):
 * one signed form per partner for the three environments, as a PDF laid out like the seed's
 * (header fields, the flow table ten rows a page, the note, empty signature blocks for both
 * institutions) and as CSV (one line per flow). The granting institution is always KSZ-BCSS:
 * Smals never is. Dates are data: nothing here reads the clock.
 */

import { csvTable } from './_csv.ts';
import { contactLine, type FormPdfOptions } from './_fields.ts';
import {
  type CheckedRow,
  checkFirewall,
  FIREWALL_FORM_SEND_TO,
  type FirewallFormData,
  FLOWS_PER_PAGE,
  GRANTING_INSTITUTION,
} from './_firewall-data.ts';
import { CUSTOMER_GROUPS, FIREWALL_LABELS } from './_firewall-labels.ts';
import { formLanguage } from './_language.ts';
import { FormCanvas } from './_pdf-layout.ts';

/** The firewall-flow form as a PDF (A4 landscape) in French, Dutch or English. */
export async function firewallFormPdf(data: FirewallFormData, options: FormPdfOptions): Promise<Uint8Array> {
  const l = FIREWALL_LABELS[formLanguage(options)];
  const d = checkFirewall(data);
  const c = await FormCanvas.create({
    title: `${l.title} – ${d.requester}`,
    subject: 'EXTRANET – Firewall IP Flux Management',
    language: options.language === 'en' ? 'en' : `${options.language}-BE`,
  });

  c.line('EXTRANET – Firewall IP Flux Management', { size: 15, bold: true }, { field: 'label' }, 0);
  c.line(l.title, { size: 12, bold: true }, { field: 'label' }, 0);
  c.line(`${l.sendTo} : ${FIREWALL_FORM_SEND_TO}`, { size: 9 }, { field: 'label' }, 8);
  const actionBox = { x: c.left, top: c.y, width: 230, height: 20 };
  c.cell(l.action, actionBox, { size: 8.5, bold: true, fill: true }, { field: 'label' });
  c.rect({ x: c.left + 230, top: c.y, width: c.width - 230, height: 20 });
  const next = c.checkbox(c.left + 236, c.y + 5, d.action === 'open', l.open);
  c.checkbox(next, c.y + 5, d.action === 'close', l.close);
  c.y += 20;
  c.fields([
    { label: l.requester, value: d.requester, field: 'requester.name' },
    { label: l.cbe, value: d.cbe, field: 'requester.cbe' },
    { label: `${l.granting} (1)`, value: GRANTING_INSTITUTION, field: 'label' },
    { label: l.description, value: d.description, field: 'description', height: 110 },
  ]);
  c.line(`(1) ${l.grantingFootnote}`, { size: 7.5, minSize: 6 }, { field: 'label' }, 6);
  c.heading(l.references, 100);
  c.fields([
    { label: l.desiredDate, value: d.desiredDate, field: 'desiredDate' },
    { label: l.clientManager, value: contactLine(d.clientManager), field: 'contacts.clientManager' },
    { label: l.technicalLead, value: contactLine(d.technicalLead), field: 'contacts.technicalLead' },
    { label: l.operationsReference, value: d.operationsReference, field: 'operationsReference' },
    { label: l.imputationCode, value: d.imputationCode, field: 'imputationCode' },
  ]);

  const present = (['test', 'acpt', 'prod'] as const).filter((e) =>
    d.rows.some((r) => r.environment === e || r.environment === 'all'),
  );
  const note = [l.platformNote(present.map((e) => CUSTOMER_GROUPS[e]).join(' / ')), d.note].filter(Boolean);
  for (let first = 0; first < d.rows.length; first += FLOWS_PER_PAGE) {
    const rows = d.rows.slice(first, first + FLOWS_PER_PAGE);
    c.addPage();
    c.line(
      `${l.title} – ${d.requester} (${d.cbe})`,
      { size: 11, bold: true, minSize: 6 },
      { field: 'requester.name' },
      0,
    );
    c.line(l.flows(first + 1, first + rows.length, d.rows.length), { size: 9 }, { field: 'label' }, 6);
    flowTable(c, l, rows, first);
    c.y += 10;
    c.heading(l.notes, 70);
    c.cell(
      note.join('\n'),
      { x: c.left, top: c.y, width: c.width, height: 70 },
      { size: 9, minSize: 6 },
      {
        field: 'note',
      },
    );
    c.y += 70;
  }

  c.addPage();
  c.line(`${l.signatures} – ${l.title}`, { size: 12, bold: true }, { field: 'label' }, 6);
  signatureBlock(c, l, `${l.requester} : ${d.requester}`, 'requester.name');
  signatureBlock(c, l, `${l.granting} : ${GRANTING_INSTITUTION}`, 'label');
  c.line(l.reminder, { size: 10, bold: true }, { field: 'label' });
  return c.save(`EXTRANET – Firewall IP Flux Management – ${d.requester} – ${d.desiredDate}`, l.page, {
    field: 'requester.name',
  });
}

type Labels = (typeof FIREWALL_LABELS)['fr'];

function flowTable(c: FormCanvas, l: Labels, rows: readonly CheckedRow[], first: number): void {
  const col = (title: string, weight: number, align: 'left' | 'center' = 'left') => ({
    title,
    weight,
    align,
  });
  c.table({
    columns: [
      col('#', 2.4, 'center'),
      col(l.name, 9),
      col(l.ipInternal, 8),
      col(l.ipNat, 8),
      col(l.port, 4.5, 'center'),
      col(l.name, 12),
      col(l.ip, 8),
      col(l.port, 5.5, 'center'),
      col(l.protocol, 7.5),
      col(l.environment, 8.5),
      col(l.rowDescription, 12),
    ],
    groups: [
      { title: '', span: 1 },
      { title: l.source, span: 4 },
      { title: l.destination, span: 3 },
      { title: '', span: 3 },
    ],
    rows: rows.map((row, i) => {
      const n = first + i;
      const fields = ['source.name', 'source.internalIp', 'source.natIp', 'source.port', 'destination.name'];
      fields.push('destination.ip', 'destination.port', 'protocol', 'description');
      const cells = row.cells.map((text, k) => ({ text, field: `rows[${n}].${fields[k]}` }));
      const environment = { text: l.environments[row.environment], field: `rows[${n}].environment` };
      return [{ text: String(n + 1), field: 'label' }, ...cells.slice(0, 8), environment, cells[8]!];
    }),
    headerHeight: 22,
    rowHeight: 30,
    fixedRows: true,
    size: 8,
    minSize: 5.5,
  });
}

function signatureBlock(c: FormCanvas, l: Labels, title: string, field: string): void {
  c.heading(title, 130, { field });
  const half = c.width / 2;
  const top = c.y;
  for (const [k, role] of [l.securityAdviser, l.technicalResponsible].entries()) {
    const x = c.left + k * half;
    c.y = top;
    c.cell(
      role,
      { x, top: c.y, width: half, height: 18 },
      { size: 9, bold: true, valign: 'middle' },
      {
        field: 'label',
      },
    );
    c.y += 18;
    for (const [label, height] of [
      [l.name, 20],
      [l.date, 20],
      [l.email, 20],
      [l.signature, 50],
    ] as const) {
      c.cell(label, { x, top: c.y, width: 110, height }, { size: 8.5, fill: true }, { field: 'label' });
      c.rect({ x: x + 110, top: c.y, width: half - 110, height });
      c.y += height;
    }
  }
  c.y += 12;
}

/** The firewall-flow form as RFC 4180 CSV: a header row, then one line per flow (form fields repeated). */
export function firewallFormCsv(data: FirewallFormData): string {
  const d = checkFirewall(data);
  const header = [
    'action',
    'requesting_institution',
    'requesting_cbe',
    'granting_institution',
    'description',
    'desired_date',
    'client_manager_name',
    'client_manager_email',
    'client_manager_phone',
    'technical_lead_name',
    'technical_lead_email',
    'technical_lead_phone',
    'operations_reference',
    'imputation_code',
    'row',
    'environment',
    'customer_group',
    'source_name',
    'source_ip_internal',
    'source_ip_nat',
    'source_port',
    'destination_name',
    'destination_ip',
    'destination_port',
    'protocol',
    'flow_description',
    'note',
  ];
  const { clientManager: m, technicalLead: t } = d;
  const form = [d.action, d.requester, d.cbe, GRANTING_INSTITUTION, d.description, d.desiredDate];
  form.push(m.name, m.email, m.phone, t.name, t.email, t.phone, d.operationsReference, d.imputationCode);
  const lines = d.rows.map((row, i) => [
    ...form,
    String(i + 1),
    row.environment,
    row.environment === 'all' ? Object.values(CUSTOMER_GROUPS).join(';') : CUSTOMER_GROUPS[row.environment],
    ...row.cells,
    d.note,
  ]);
  return csvTable(header, lines);
}
