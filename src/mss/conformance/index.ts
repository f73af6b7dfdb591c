export {
  type AccessMode,
  CATALOGUE,
  CATALOGUE_VERSION,
  type CaseProtocol,
  type ConformanceCase,
  findCase,
  type Severity,
} from './catalogue.ts';
export { type InboundReceiver, type InboundReceiverOptions, startInboundReceiver } from './inbound.ts';
export { redactText, redactTranscript, tokenFingerprint } from './redact.ts';
export { connectConformancePsc, type RemotePscOptions } from './remote-psc.ts';
export { loadRunResult, type ReportPaths, writeReports } from './report-files.ts';
export { renderReportHtml } from './report-html.ts';
export { renderReportPdf } from './report-pdf.ts';
export {
  type MailEndpoint,
  RUN_RESULT_SCHEMA,
  type RunResult,
  type RunTarget,
  type TlsMode,
  validateRunResult,
} from './report-schema.ts';
export { type RunConformanceOptions, runConformance } from './runner.ts';
export type {
  ConformanceProgress,
  ConformancePsc,
  ConformanceTarget,
  InboundMailbox,
  InboundMessage,
  TargetEndpoint,
} from './runner-types.ts';
export { parseTarget, type TargetField, type TargetInput } from './target.ts';
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
export {
  type ConformanceApp,
  type ConformanceAppOptions,
  type JobInput,
  type JobRecord,
  type PscInfo,
  type RunJob,
  startConformanceApp,
} from './web/index.ts';
