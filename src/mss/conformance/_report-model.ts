/**
 * What a conformity report shows, computed once from a validated run result and rendered by
 * both the HTML and the PDF renderers: the headline verdict, the summary fields, the counts,
 * and the cases in reading order (failures first, then cases not run, then the rest, each group
 * in selection order). Catalogue text is used only when the run's catalogue version is this
 * one; otherwise the report shows ids and statuses and says so.
 */
import { PasserelleError } from '../../errors.ts';
import {
  type Bilingual,
  dateText,
  durationText,
  endpointText,
  FIELD,
  fingerprintText,
  INCOMPLETE_HEADLINE,
  OTHER_CATALOGUE,
  type ReportStatus,
  STATUS_ORDER,
  VERDICT_LABEL,
} from './_report-labels.ts';
import { CATALOGUE, CATALOGUE_VERSION, type ConformanceCase, findCase, type Severity } from './catalogue.ts';
import { type RunResult, validateRunResult } from './report-schema.ts';
import {
  type CaseFailure,
  type CaseResult,
  type NotRunCase,
  type StatusCounts,
  summarise,
} from './verdict.ts';

/** The colour family of the headline: green, orange, red, grey. */
export type Tone = 'conformant' | 'major' | 'blocking' | 'incomplete';

export interface ReportCase {
  readonly id: string;
  readonly status: ReportStatus;
  /** The catalogue entry, when the run used this catalogue version. */
  readonly definition?: ConformanceCase;
  /** The severity: from the catalogue, else from the verdict's failures or notRun. */
  readonly severity?: Severity;
  readonly result?: CaseResult;
  readonly notRun?: NotRunCase;
  /** failed or error. */
  readonly failed: boolean;
}

export interface SummaryField {
  readonly label: Bilingual;
  readonly value: string;
}

export interface ReportModel {
  readonly run: RunResult;
  readonly sameCatalogue: boolean;
  /** Set when the run used another catalogue version. */
  readonly catalogueNotice?: Bilingual;
  readonly headline: Bilingual;
  /** A second line under the headline (minor failures, computed level of an incomplete run). */
  readonly subline?: Bilingual;
  readonly tone: Tone;
  readonly fields: readonly SummaryField[];
  readonly total: StatusCounts;
  /** Counts per severity; absent when the catalogue version differs (severities unknown). */
  readonly bySeverity?: Readonly<Record<Severity, StatusCounts>>;
  readonly cases: readonly ReportCase[];
  /** The verdict's failures and cases not run, blocking first (then catalogue order). */
  readonly failures: readonly CaseFailure[];
  readonly notRun: readonly NotRunCase[];
}

/** Throws ERR_MSS_CONFORMANCE_RESULT_INVALID unless `run` is a valid run result. */
export function assertValidRun(run: unknown): asserts run is RunResult {
  const issues = validateRunResult(run);
  if (issues.length > 0)
    throw new PasserelleError(
      'ERR_MSS_CONFORMANCE_RESULT_INVALID',
      `the conformance run result is not valid: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? '; …' : ''}`,
      { details: { issues } },
    );
}

function headline(run: RunResult): { headline: Bilingual; subline?: Bilingual; tone: Tone } {
  const { level, incomplete, failures } = run.verdict;
  const minor = failures.filter((f) => f.severity === 'minor' || f.severity === 'informational').length;
  if (level === 'conformant' && incomplete)
    return {
      headline: INCOMPLETE_HEADLINE,
      subline: {
        fr: 'Aucune non-conformité majeure ou bloquante parmi les cas exécutés (niveau calculé : Conforme).',
        en: 'No major or blocking non-conformity among the cases run (computed level: Conformant).',
      },
      tone: 'incomplete',
    };
  const tone: Tone =
    level === 'conformant' ? 'conformant' : level === 'non-conformant-major' ? 'major' : 'blocking';
  const subline =
    level === 'conformant' && minor > 0
      ? {
          fr: `${minor} non-conformité(s) mineure(s) ou informative(s), sans effet sur le verdict.`,
          en: `${minor} minor or informational non-conformities, not affecting the verdict.`,
        }
      : incomplete
        ? {
            fr: 'Exécution incomplète : la non-conformité est établie, la liste des écarts peut ne pas être exhaustive.',
            en: 'Incomplete run: the non-conformity is established, the list may not be exhaustive.',
          }
        : undefined;
  return { headline: VERDICT_LABEL[level], ...(subline ? { subline } : {}), tone };
}

function fields(run: RunResult): SummaryField[] {
  const t = run.target;
  const cert = t.clientCertificate;
  return [
    { label: FIELD.operator, value: run.operator.name },
    { label: FIELD.host, value: t.host },
    { label: FIELD.imap, value: endpointText(t.imap.port, t.imap.tls) },
    { label: FIELD.smtp, value: endpointText(t.smtp.port, t.smtp.tls) },
    { label: FIELD.mailbox, value: t.mailbox },
    { label: FIELD.idNat, value: t.idNat },
    {
      label: FIELD.certificate,
      value: cert
        ? `${cert.subject}\n${fingerprintText(cert.sha256)}${cert.mailbox ? `\n→ ${cert.mailbox}` : ''}`
        : FIELD.noCertificate.fr,
    },
    { label: FIELD.runId, value: run.runId },
    { label: FIELD.started, value: dateText(run.startedAt) },
    {
      label: FIELD.finished,
      value: `${dateText(run.finishedAt)} (${durationText(Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.startedAt)))})`,
    },
    {
      label: FIELD.catalogue,
      value:
        run.catalogueVersion === CATALOGUE_VERSION
          ? run.catalogueVersion
          : `${run.catalogueVersion} (≠ ${CATALOGUE_VERSION})`,
    },
  ];
}

function countStatuses(ids: readonly string[], results: readonly CaseResult[]): StatusCounts {
  const total: StatusCounts = { passed: 0, failed: 0, error: 0, skipped: 0, 'not-applicable': 0, missing: 0 };
  const byId = new Map(results.map((r) => [r.caseId, r]));
  for (const id of ids) total[byId.get(id)?.status ?? 'missing']++;
  return total;
}

const groupOf = (status: ReportStatus): number =>
  status === 'failed' || status === 'error' ? 0 : status === 'skipped' || status === 'missing' ? 1 : 2;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  blocking: 0,
  major: 1,
  minor: 2,
  informational: 3,
};

function bySeverity<T extends { readonly severity: Severity }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] || a.index - b.index)
    .map((x) => x.item);
}

/** The report model of `run`; throws ERR_MSS_CONFORMANCE_RESULT_INVALID on an invalid run. */
export function buildReportModel(run: RunResult): ReportModel {
  assertValidRun(run);
  const sameCatalogue = run.catalogueVersion === CATALOGUE_VERSION;
  const byId = new Map(run.results.map((r) => [r.caseId, r]));
  // Another catalogue version may hold results outside its selection: list them too.
  const ids = [
    ...run.selection,
    ...run.results.map((r) => r.caseId).filter((id) => !run.selection.includes(id)),
  ];
  const failure = new Map(run.verdict.failures.map((f) => [f.caseId, f]));
  const notRun = new Map(run.verdict.notRun.map((n) => [n.caseId, n]));
  const cases = ids.map((id, index) => {
    const result = byId.get(id);
    const definition = sameCatalogue ? findCase(id) : undefined;
    const status: ReportStatus = result?.status ?? 'missing';
    const severity = definition?.severity ?? failure.get(id)?.severity ?? notRun.get(id)?.severity;
    const n = notRun.get(id);
    return {
      index,
      value: {
        id,
        status,
        failed: status === 'failed' || status === 'error',
        ...(definition ? { definition } : {}),
        ...(severity ? { severity } : {}),
        ...(result ? { result } : {}),
        ...(n ? { notRun: n } : {}),
      } satisfies ReportCase,
    };
  });
  cases.sort((a, b) => {
    const g = groupOf(a.value.status) - groupOf(b.value.status);
    if (g !== 0) return g;
    if (groupOf(a.value.status) === 0) {
      const s =
        SEVERITY_RANK[a.value.severity ?? 'informational'] -
        SEVERITY_RANK[b.value.severity ?? 'informational'];
      if (s !== 0) return s;
    }
    return a.index - b.index;
  });
  const summary = sameCatalogue
    ? summarise(
        CATALOGUE.filter((c) => run.selection.includes(c.id)),
        run.results,
      )
    : undefined;
  return {
    run,
    sameCatalogue,
    ...(sameCatalogue ? {} : { catalogueNotice: OTHER_CATALOGUE(run.catalogueVersion, CATALOGUE_VERSION) }),
    ...headline(run),
    fields: fields(run),
    total: summary?.total ?? countStatuses(ids, run.results),
    ...(summary ? { bySeverity: summary.bySeverity } : {}),
    cases: cases.map((c) => c.value),
    failures: bySeverity(run.verdict.failures),
    notRun: bySeverity(run.verdict.notRun),
  };
}

/** Statuses in the order the count tables show them, without the empty ones except the first three. */
export function shownStatuses(total: StatusCounts): ReportStatus[] {
  return STATUS_ORDER.filter((s) => total[s] > 0 || s === 'passed' || s === 'failed' || s === 'error');
}
