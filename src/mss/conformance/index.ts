export {
  type AccessMode,
  CATALOGUE,
  CATALOGUE_VERSION,
  type CaseProtocol,
  type ConformanceCase,
  findCase,
  type Severity,
} from './catalogue.ts';
export { redactText, redactTranscript, tokenFingerprint } from './redact.ts';
export {
  type MailEndpoint,
  RUN_RESULT_SCHEMA,
  type RunResult,
  type RunTarget,
  type TlsMode,
  validateRunResult,
} from './report-schema.ts';
export {
  CASE_STATUSES,
  type CaseFailure,
  type CaseResult,
  type CaseStatus,
  computeVerdict,
  type EvidenceLine,
  type NotRunCase,
  type NotRunReason,
  SEVERITIES,
  type StatusCounts,
  type Summary,
  summarise,
  VERDICT_LEVELS,
  type Verdict,
  type VerdictLevel,
} from './verdict.ts';
