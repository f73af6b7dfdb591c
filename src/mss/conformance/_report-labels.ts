/**
 * The words of the conformity report, French first (the reader is the French regulator or
 * operator) with the English beside it. Shared by the HTML and PDF renderers so both say the
 * same thing; numbers and dates are formatted here without the locale or the clock, so a
 * report rendered twice from the same JSON is the same.
 */
import type { Severity } from './catalogue.ts';
import type { CaseStatus, NotRunReason, VerdictLevel } from './verdict.ts';

/** A text in French, with its English translation. */
export interface Bilingual {
  readonly fr: string;
  readonly en: string;
}

export type ReportStatus = CaseStatus | 'missing';

export const TITLE: Bilingual = {
  fr: 'Rapport de conformité — API LPS MSSanté',
  en: 'MSSanté API LPS conformance report',
};

export const VERDICT_LABEL: Readonly<Record<VerdictLevel, Bilingual>> = {
  conformant: { fr: 'Conforme', en: 'Conformant' },
  'non-conformant-major': {
    fr: 'Non conforme (non-conformités majeures)',
    en: 'Non-conformant (major non-conformities)',
  },
  'non-conformant-blocking': {
    fr: 'Non conforme (non-conformités bloquantes)',
    en: 'Non-conformant (blocking non-conformities)',
  },
};

export const INCOMPLETE_HEADLINE: Bilingual = {
  fr: 'INCOMPLET — pas une déclaration de conformité',
  en: 'INCOMPLETE — not a conformity statement',
};

export const SCALE: Bilingual = {
  fr: "Échelle (seed 004) : Conforme (aucune non-conformité, ou seulement mineures) ; Non conforme (non-conformités majeures) ; Non conforme (non-conformités bloquantes). Une erreur d'exécution d'un cas compte comme un échec de sa sévérité.",
  en: 'Scale (seed 004): conformant (none or only minor non-conformities); non-conformant (major); non-conformant (blocking). A case that errored counts as a failure of its severity.',
};

export const INCOMPLETE_NOTICE: Bilingual = {
  fr: "Exécution INCOMPLÈTE : des cas bloquants ou majeurs n'ont pas été exécutés. Ce rapport n'est pas une déclaration de conformité ; seules les non-conformités observées sont établies.",
  en: 'INCOMPLETE run: blocking or major cases were not run. This report is not a conformity statement; only the non-conformities observed are established.',
};

export const STATUS_LABEL: Readonly<Record<ReportStatus, Bilingual>> = {
  passed: { fr: 'Réussi', en: 'passed' },
  failed: { fr: 'Échec', en: 'failed' },
  error: { fr: 'Erreur', en: 'error' },
  skipped: { fr: 'Non exécuté', en: 'skipped' },
  'not-applicable': { fr: 'Sans objet', en: 'not applicable' },
  missing: { fr: 'Sans résultat', en: 'no result' },
};

export const STATUS_ORDER: readonly ReportStatus[] = [
  'failed',
  'error',
  'skipped',
  'missing',
  'passed',
  'not-applicable',
];

export const SEVERITY_LABEL: Readonly<Record<Severity, Bilingual>> = {
  blocking: { fr: 'Bloquante', en: 'blocking' },
  major: { fr: 'Majeure', en: 'major' },
  minor: { fr: 'Mineure', en: 'minor' },
  informational: { fr: 'Information', en: 'informational' },
};

export function notRunReason(reason: NotRunReason, blockedBy: readonly string[]): Bilingual {
  switch (reason) {
    case 'missing':
      return { fr: 'aucun résultat dans le run', en: 'no result in the run' };
    case 'skipped':
      return { fr: 'non sélectionné ou ignoré', en: 'skipped' };
    case 'dependency-not-passed':
      return {
        fr: `prérequis non réussi : ${blockedBy.join(', ')}`,
        en: `dependency not passed: ${blockedBy.join(', ')}`,
      };
  }
}

export const OTHER_CATALOGUE = (runVersion: string, ours: string): Bilingual => ({
  fr: `Ce run a utilisé le catalogue ${runVersion} ; cet outil connaît le catalogue ${ours}. Seuls les identifiants et statuts des cas sont donnés : le texte des exigences et les sévérités sont ceux d'une autre version.`,
  en: `This run used catalogue ${runVersion}; this tool knows catalogue ${ours}. Only case ids and statuses are shown: requirement texts and severities belong to another version.`,
});

/** The summary rows (label, value) shared by both renderers. */
export const FIELD = {
  operator: { fr: 'Opérateur', en: 'Operator' },
  host: { fr: 'Serveur cible', en: 'Target host' },
  imap: { fr: 'IMAP', en: 'IMAP' },
  smtp: { fr: 'SMTP', en: 'SMTP' },
  mailbox: { fr: 'Boîte aux lettres', en: 'Mailbox' },
  idNat: { fr: 'IdNat du professionnel', en: 'National id (IdNat)' },
  certificate: { fr: 'Certificat client', en: 'Client certificate' },
  runId: { fr: 'Identifiant du run', en: 'Run id' },
  started: { fr: 'Début', en: 'Started' },
  finished: { fr: 'Fin', en: 'Finished' },
  catalogue: { fr: 'Version du catalogue', en: 'Catalogue version' },
  verdict: { fr: 'Verdict', en: 'Verdict' },
  requirement: { fr: 'Exigence', en: 'Requirement' },
  severity: { fr: 'Sévérité', en: 'Severity' },
  rationale: { fr: 'Justification', en: 'Rationale' },
  status: { fr: 'Statut', en: 'Status' },
  message: { fr: 'Observation', en: 'Message' },
  duration: { fr: 'Durée', en: 'Duration' },
  evidence: { fr: 'Transcription', en: 'Evidence transcript' },
  failures: { fr: 'Non-conformités constatées', en: 'Non-conformities observed' },
  notRun: { fr: 'Cas non exécutés', en: 'Cases not run' },
  whyNotRun: { fr: 'Non exécuté car', en: 'Not run because' },
  counts: { fr: 'Résultats par sévérité', en: 'Results by severity' },
  cases: { fr: 'Détail des cas', en: 'Case details' },
  total: { fr: 'Total', en: 'Total' },
  none: { fr: 'aucun', en: 'none' },
  noCertificate: { fr: 'aucun (mode client-certificat non testé)', en: 'none' },
  noEvidence: { fr: 'aucune transcription', en: 'no transcript' },
  unknownCase: { fr: 'cas inconnu de ce catalogue', en: 'case not in this catalogue' },
  page: { fr: 'page', en: 'page' },
} as const satisfies Record<string, Bilingual>;

const TLS_LABEL = { implicit: 'TLS implicite / implicit TLS', starttls: 'STARTTLS' } as const;

export function endpointText(port: number, tls: 'implicit' | 'starttls'): string {
  return `port ${port}, ${TLS_LABEL[tls]}`;
}

/** "2026-12-03T08:00:41.250Z" → "2026-12-03 08:00:41 UTC" (from the string: no locale, no clock). */
export function dateText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const decimal = (n: number, digits: number): string => n.toFixed(digits).replace('.', ',');

/** A duration in French notation: "12,5 ms", "41,25 s", "2 min 05 s". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${decimal(Math.round(ms * 10) / 10, ms % 1 === 0 ? 0 : 1)} ms`;
  if (ms < 60_000) return `${decimal(ms / 1000, 2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The SHA-256 fingerprint as certificate viewers print it (AB:CD:…). */
export function fingerprintText(sha256: string): string {
  return `SHA-256 ${sha256.toUpperCase().replace(/(..)(?!$)/g, '$1:')}`;
}

/** The prefix of a transcript line: C (client), S (server), # (runner note). */
export const DIR_PREFIX = { c: 'C:', s: 'S:', note: '#' } as const;
