export { type BackoffOptions, backoffDelay } from './backoff-delay.ts';
export {
  type CreateRunFromManifestOptions,
  createRunFromManifest,
} from './create-run-from-manifest.ts';
export type { BatchEvent } from './events.ts';
export { isTransient } from './is-transient.ts';
export {
  type OpenPostgresBatchStoreOptions,
  openPostgresBatchStore,
  postgresQueueName,
} from './postgres-store.ts';
export { type ManifestFormat, type ReadManifestOptions, readManifest } from './read-manifest.ts';
export { type BatchRetryOptions, type RunBatchOptions, type RunBatchResult, runBatch } from './run-batch.ts';
export { type OpenSqliteBatchStoreOptions, openSqliteBatchStore } from './sqlite-store.ts';
export type {
  BatchStore,
  ClaimOptions,
  CreateRunInput,
  ListItemsOptions,
  RequeueOptions,
} from './store.ts';
export type {
  BatchClaim,
  BatchCounts,
  BatchError,
  BatchItem,
  BatchItemSpec,
  BatchItemState,
  BatchResult,
  BatchRunInfo,
  BatchRunState,
} from './types.ts';
export {
  BATCH_REPORT_COLUMNS,
  type BatchReportFormat,
  type WriteBatchReportOptions,
  writeBatchReport,
} from './write-report.ts';
