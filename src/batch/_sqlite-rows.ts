import type { _ItemRow, _RunRow } from './_sqlite-schema.ts';
import type { BatchItem, BatchItemState, BatchRunInfo, BatchRunState } from './types.ts';

/** A stored row as the store's callers see it (JSON columns parsed, NULLs left out). */
export function _itemFromRow(row: _ItemRow): BatchItem {
  return {
    runId: row.run_id,
    key: row.key,
    line: row.line,
    recipient: row.recipient,
    state: row.state as BatchItemState,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.publication === null ? {} : { publication: JSON.parse(row.publication) }),
    ...(row.not_before === null ? {} : { notBefore: row.not_before }),
    ...(row.state === 'in-flight' && row.lease_expires_at !== null
      ? { leaseExpiresAt: row.lease_expires_at }
      : {}),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.result === null ? {} : { result: JSON.parse(row.result) }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) }),
  };
}

export function _runFromRow(row: _RunRow): BatchRunInfo {
  return {
    id: row.id,
    state: row.state as BatchRunState,
    createdAt: row.created_at,
    total: row.total,
    meta: JSON.parse(row.meta) as Record<string, unknown>,
  };
}
