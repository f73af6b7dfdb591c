/**
 * Page 1 of the PDF conformity report: the page a regulator reads on its own. Title, the
 * verdict in large type in a coloured frame (dashed and grey when the run is incomplete, with
 * the notice and the cases not run right below), the target and run fields, the counts per
 * severity and status, and the non-conformities observed.
 */
import { type RGB, rgb } from 'pdf-lib';
import {
  type Bilingual,
  FIELD,
  INCOMPLETE_NOTICE,
  notRunReason,
  type ReportStatus,
  SCALE,
  SEVERITY_LABEL,
  STATUS_LABEL,
  TITLE,
} from './_report-labels.ts';
import { type ReportModel, shownStatuses, type Tone } from './_report-model.ts';
import { GREY, INK, LINE, type ReportCanvas, RULE, SHADE, type TextStyle } from './_report-pdf-canvas.ts';
import { SEVERITIES } from './verdict.ts';

export const TONE: Readonly<Record<Tone, { ink: RGB; fill: RGB }>> = {
  conformant: { ink: rgb(0.1, 0.43, 0.18), fill: rgb(0.93, 0.97, 0.94) },
  major: { ink: rgb(0.64, 0.32, 0), fill: rgb(0.99, 0.95, 0.9) },
  blocking: { ink: rgb(0.69, 0, 0.13), fill: rgb(0.99, 0.92, 0.93) },
  incomplete: { ink: rgb(0.15, 0.15, 0.15), fill: rgb(0.94, 0.94, 0.94) },
};
const NOTICE_FILL = rgb(1, 0.97, 0.84);

/** A section title: French bold, English grey beside it. */
export function sectionTitle(c: ReportCanvas, title: Bilingual, size = 11): void {
  c.ensure(size * LINE + 40);
  c.y += 6;
  const bold: TextStyle = { size, font: 'bold' };
  c.drawLine(title.fr, c.left, c.y, bold);
  const w = c.measure(title.fr, bold);
  if (title.en !== title.fr)
    c.drawLine(title.en, c.left + w + 6, c.y + size * 0.22, { size: size * 0.75, color: GREY });
  c.y += size * LINE + 3;
}

function verdictBox(c: ReportCanvas, m: ReportModel): void {
  const tone = TONE[m.tone];
  const pad = 10;
  const inner = c.width - 2 * pad;
  const head: TextStyle = { size: 20, font: 'bold', color: tone.ink };
  const en: TextStyle = { size: 10, color: GREY };
  const sub: TextStyle = { size: 9 };
  const parts: [string, TextStyle][] = [
    [m.headline.fr, head],
    [m.headline.en, en],
    ...(m.subline
      ? ([
          [m.subline.fr, sub],
          [m.subline.en, { ...sub, size: 7.5, color: GREY }],
        ] as [string, TextStyle][])
      : []),
    [SCALE.fr, { size: 6.5, color: GREY }],
  ];
  const label: TextStyle = { size: 7.5, font: 'bold', color: GREY };
  const height =
    label.size * LINE + 4 + parts.reduce((h, [t, s]) => h + c.heightOf(t, s, inner) + 2, 0) + 2 * pad;
  c.ensure(height);
  c.rect(c.left, c.y, c.width, height, {
    fill: tone.fill,
    border: tone.ink,
    thickness: 2,
    ...(m.tone === 'incomplete' ? { dashed: true } : {}),
  });
  let y = c.y + pad;
  c.drawLine('VERDICT', c.left + pad, y, label);
  y += label.size * LINE + 4;
  for (const [text, style] of parts) {
    for (const line of c.wrap(text, style, inner)) {
      c.drawLine(line, c.left + pad, y, style);
      y += style.size * LINE;
    }
    y += 2;
  }
  c.y += height + 10;
}

function incompleteNotice(c: ReportCanvas, m: ReportModel): void {
  if (!m.run.verdict.incomplete) return;
  const pad = 7;
  const inner = c.width - 2 * pad - 4;
  const fr: TextStyle = { size: 9.5, font: 'bold' };
  const en: TextStyle = { size: 7.5, color: GREY };
  const item: TextStyle = { size: 8.5 };
  const items = m.notRun.map((n) => {
    const reason = notRunReason(n.reason, n.blockedBy);
    return `- ${n.caseId} — ${SEVERITY_LABEL[n.severity].fr} — ${reason.fr}`;
  });
  const blocks: [string, TextStyle][] = [
    [INCOMPLETE_NOTICE.fr, fr],
    [INCOMPLETE_NOTICE.en, en],
    [`${FIELD.notRun.fr} (${FIELD.notRun.en}) :`, { size: 8.5, font: 'bold' }],
    ...items.map((t): [string, TextStyle] => [t, item]),
  ];
  const height = blocks.reduce((h, [t, s]) => h + c.heightOf(t, s, inner), 0) + 2 * pad + 4;
  if (height <= c.bottom - c.y || c.y + 120 > c.bottom) {
    c.ensure(height);
    c.rect(c.left, c.y, c.width, height, { fill: NOTICE_FILL });
    c.rect(c.left, c.y, 4, height, { fill: INK });
    let y = c.y + pad;
    blocks.forEach(([t, s], i) => {
      for (const line of c.wrap(t, s, inner)) {
        c.drawLine(line, c.left + pad + 4, y, s);
        y += s.size * LINE;
      }
      if (i === 1) y += 4;
    });
    c.y += height + 10;
    return;
  }
  // Too long for the rest of the page: the notice as paragraphs that may break across pages.
  for (const [t, s] of blocks) c.paragraph(t, s, { indent: 6 });
  c.y += 10;
}

function countsTable(c: ReportCanvas, m: ReportModel): void {
  const statuses: readonly ReportStatus[] = shownStatuses(m.total);
  const first = 110;
  const colWidth = (c.width - first) / (statuses.length + 1);
  const headHeight = 26;
  const rowHeight = 15;
  const rows: [Bilingual, Readonly<Record<string, number>>][] = m.bySeverity
    ? SEVERITIES.map((s): [Bilingual, Readonly<Record<string, number>>] => [
        SEVERITY_LABEL[s],
        m.bySeverity![s],
      ])
    : [];
  rows.push([FIELD.total, m.total]);
  c.ensure(headHeight + rows.length * rowHeight);
  const headers: Bilingual[] = [FIELD.severity, ...statuses.map((s) => STATUS_LABEL[s]), FIELD.total];
  const xs = headers.map((_, i) => (i === 0 ? c.left : c.left + first + (i - 1) * colWidth));
  const ws = headers.map((_, i) => (i === 0 ? first : colWidth));
  headers.forEach((h, i) => {
    c.rect(xs[i]!, c.y, ws[i]!, headHeight, { fill: SHADE, border: RULE });
    c.drawLine(h.fr, xs[i]! + 3, c.y + 4, { size: 7.5, font: 'bold' });
    c.drawLine(h.en, xs[i]! + 3, c.y + 14, { size: 6.5, color: GREY });
  });
  c.y += headHeight;
  rows.forEach(([label, counts], r) => {
    const last = r === rows.length - 1;
    const values = statuses.map((s) => counts[s] ?? 0);
    const cells = [label.fr, ...values.map(String), String(Object.values(counts).reduce((a, b) => a + b, 0))];
    cells.forEach((text, i) => {
      c.rect(xs[i]!, c.y, ws[i]!, rowHeight, { border: RULE, ...(i === 0 ? { fill: SHADE } : {}) });
      const style: TextStyle = { size: 8.5, ...(last || i === 0 ? { font: 'bold' } : {}) };
      const x = i === 0 ? xs[i]! + 3 : xs[i]! + ws[i]! - 4 - c.measure(text, style);
      c.drawLine(text, x, c.y + 3.5, style);
    });
    c.y += rowHeight;
  });
  c.y += 6;
}

function failuresList(c: ReportCanvas, m: ReportModel): void {
  const failures = m.failures;
  if (failures.length === 0) {
    c.paragraph(`${FIELD.none.fr} (${FIELD.none.en})`, { size: 9 }, { gapAfter: 4 });
    return;
  }
  for (const f of failures) {
    const sev = SEVERITY_LABEL[f.severity];
    const tone =
      f.severity === 'blocking' ? TONE.blocking : f.severity === 'major' ? TONE.major : TONE.incomplete;
    c.paragraph(
      `${f.caseId} — ${sev.fr} (${sev.en}) — ${STATUS_LABEL[f.status].fr}`,
      { size: 9, color: tone.ink },
      {
        prefix: '-',
        indent: 4,
      },
    );
  }
  c.y += 4;
}

/** Draws the summary from the top of the current page. */
export function drawSummary(c: ReportCanvas, m: ReportModel): void {
  c.drawLine(TITLE.fr, c.left, c.y, { size: 16, font: 'bold' });
  c.y += 16 * LINE;
  c.drawLine(TITLE.en, c.left, c.y, { size: 9, color: GREY });
  c.y += 9 * LINE + 8;
  verdictBox(c, m);
  incompleteNotice(c, m);
  if (m.catalogueNotice) {
    c.paragraph(m.catalogueNotice.fr, { size: 9, font: 'bold' });
    c.paragraph(m.catalogueNotice.en, { size: 7.5, color: GREY }, { gapAfter: 8 });
  }
  c.rows(
    m.fields.map((f) => ({
      fr: f.label.fr,
      en: f.label.en,
      value: f.value,
      valueStyle: { size: 9, ...(f.label === FIELD.operator ? { font: 'bold' } : {}) },
    })),
  );
  c.y += 4;
  sectionTitle(c, FIELD.counts);
  countsTable(c, m);
  sectionTitle(c, FIELD.failures);
  failuresList(c, m);
}
