/**
 * The conformity report of a conformance run as a PDF: page 1 is the summary a regulator reads
 * on its own (verdict in large type), the following pages the cases in reading order (failures
 * first) with requirement, severity and why, status, message, duration and the transcript.
 * Every page carries the run id, the catalogue version and "page X / N".
 *
 * Why pdf-lib and not HTML printed by a headless browser: the report is written on the
 * operator's (or regulator's) machine at the end of a CLI run, where no browser may be
 * installed and none should be downloaded; pdf-lib is pure JavaScript, already a dependency,
 * and its standard fonts need no font file. Their WinAnsi limit is handled in
 * _report-winansi.ts (transliterated or "?", never an exception); the HTML and JSON keep every
 * character.
 *
 * Reproducible: dates come from run.finishedAt, creator and producer are fixed, pdf-lib writes
 * no random document id, so the same JSON gives the same bytes.
 */
import { rgb } from 'pdf-lib';
import {
  DIR_PREFIX,
  durationText,
  FIELD,
  notRunReason,
  SEVERITY_LABEL,
  STATUS_LABEL,
  TITLE,
} from './_report-labels.ts';
import { buildReportModel, type ReportCase, type ReportModel } from './_report-model.ts';
import { GREY, LINE, ReportCanvas, type TextStyle } from './_report-pdf-canvas.ts';
import { drawSummary, sectionTitle, TONE } from './_report-pdf-summary.ts';
import { REPLACEMENT } from './_report-winansi.ts';
import { CATALOGUE_VERSION } from './catalogue.ts';
import type { RunResult } from './report-schema.ts';

const EVIDENCE_FILL = rgb(0.96, 0.96, 0.96);
const FAILED_FILL = rgb(0.99, 0.9, 0.91);
const PLAIN_FILL = rgb(0.92, 0.94, 0.97);

function caseBand(c: ReportCanvas, rc: ReportCase): void {
  const height = 20;
  c.ensure(height + 90);
  const tone = rc.failed ? TONE.blocking : rc.status === 'passed' ? TONE.conformant : TONE.incomplete;
  c.rect(c.left, c.y, c.width, height, { fill: rc.failed ? FAILED_FILL : PLAIN_FILL });
  c.rect(c.left, c.y, 4, height, { fill: tone.ink });
  const status = STATUS_LABEL[rc.status];
  const statusText = `${status.fr.toUpperCase()} (${status.en})`;
  const statusStyle: TextStyle = { size: 9.5, font: 'bold', color: tone.ink };
  const statusWidth = c.measure(statusText, statusStyle);
  const idStyle: TextStyle = { size: 10.5, font: 'monoBold' };
  const [id = ''] = c.wrap(rc.id, idStyle, c.width - statusWidth - 30);
  c.drawLine(id, c.left + 10, c.y + (height - 10.5) / 2, idStyle);
  c.drawLine(statusText, c.left + c.width - 6 - statusWidth, c.y + (height - 9.5) / 2, statusStyle);
  c.y += height + 5;
}

/** A label line: French bold, English grey beside it, kept with `keep` points below it. */
function label(c: ReportCanvas, fr: string, en: string, keep: number): void {
  const style: TextStyle = { size: 8, font: 'bold' };
  c.ensure(8 * LINE + keep);
  c.drawLine(fr, c.left + 6, c.y, style);
  c.drawLine(en, c.left + 6 + c.measure(fr, style) + 5, c.y + 0.8, { size: 6.5, color: GREY });
  c.y += 8 * LINE;
}

/** A label line then the value as a paragraph. */
function item(c: ReportCanvas, fr: string, en: string, value: string, style: TextStyle = { size: 9 }): void {
  label(c, fr, en, style.size * LINE);
  c.paragraph(value, style, { indent: 12, gapAfter: 3 });
}

function evidence(c: ReportCanvas, rc: ReportCase): void {
  const lines = rc.result?.evidence ?? [];
  if (lines.length === 0) {
    item(c, FIELD.evidence.fr, FIELD.evidence.en, FIELD.noEvidence.fr, { size: 8.5, color: GREY });
    return;
  }
  label(c, FIELD.evidence.fr, FIELD.evidence.en, 3 * 7.5 * LINE);
  for (const l of lines) {
    const style: TextStyle = { size: 7.5, font: 'mono', ...(l.dir === 'note' ? { color: GREY } : {}) };
    c.paragraph(l.text, style, {
      indent: 12,
      prefix: DIR_PREFIX[l.dir].padEnd(2),
      prefixStyle: { size: 7.5, font: 'monoBold', color: l.dir === 'note' ? GREY : rgb(0.05, 0.3, 0.55) },
      shade: EVIDENCE_FILL,
    });
  }
}

function caseDetail(c: ReportCanvas, m: ReportModel, rc: ReportCase): void {
  caseBand(c, rc);
  const d = rc.definition;
  if (d) item(c, FIELD.requirement.fr, FIELD.requirement.en, d.requirement);
  else if (m.sameCatalogue) item(c, FIELD.requirement.fr, FIELD.requirement.en, FIELD.unknownCase.fr);
  if (rc.severity) {
    const sev = SEVERITY_LABEL[rc.severity];
    item(c, FIELD.severity.fr, FIELD.severity.en, `${sev.fr} (${sev.en})`, { size: 9, font: 'bold' });
  }
  if (d) item(c, FIELD.rationale.fr, FIELD.rationale.en, d.rationale);
  if (rc.notRun) {
    const reason = notRunReason(rc.notRun.reason, rc.notRun.blockedBy);
    item(c, FIELD.whyNotRun.fr, FIELD.whyNotRun.en, `${reason.fr} (${reason.en})`);
  }
  if (rc.result) {
    item(c, FIELD.message.fr, FIELD.message.en, rc.result.message, { size: 9, font: 'bold' });
    item(c, FIELD.duration.fr, FIELD.duration.en, durationText(rc.result.durationMs));
    evidence(c, rc);
  }
  c.y += 12;
}

/** The PDF report of `run`; throws ERR_MSS_CONFORMANCE_RESULT_INVALID when `run` is not valid. */
export async function renderReportPdf(run: RunResult): Promise<Uint8Array> {
  const m = buildReportModel(run);
  const c = await ReportCanvas.create({
    title: `${TITLE.fr} — ${run.operator.name} — ${run.runId}`,
    subject: `${TITLE.en}: ${run.target.host}, catalogue ${run.catalogueVersion}`,
    keywords: ['MSSanté', 'API LPS', 'conformité', run.runId, run.catalogueVersion, run.verdict.level],
    date: new Date(run.finishedAt),
  });
  drawSummary(c, m);
  c.addPage();
  sectionTitle(c, FIELD.cases, 13);
  if (!m.sameCatalogue) c.paragraph(`${m.catalogueNotice!.fr}`, { size: 8.5, color: GREY }, { gapAfter: 6 });
  c.paragraph(
    `Les cas en échec viennent en premier. Les caractères que les polices standard du PDF ne savent pas imprimer sont remplacés par « ${REPLACEMENT} » ; report.html et run.json gardent le texte exact.`,
    { size: 7.5, color: GREY },
  );
  c.paragraph(
    `Failed cases come first. Characters the PDF standard fonts cannot print are replaced by "${REPLACEMENT}"; report.html and run.json keep the exact text.`,
    { size: 6.5, color: GREY },
    { gapAfter: 8 },
  );
  for (const rc of m.cases) caseDetail(c, m, rc);
  const other = run.catalogueVersion === CATALOGUE_VERSION ? '' : ` (≠ ${CATALOGUE_VERSION})`;
  return c.save(
    `${TITLE.fr} — ${run.operator.name} — run ${run.runId} — catalogue ${run.catalogueVersion}${other}`,
  );
}
