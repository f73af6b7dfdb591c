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
