import type { ErrorDetails } from '../errors.ts';
import type { EboxPublication } from '../services/ebox/publication.ts';

/**
 * Where an item of a run stands. The only transitions:
 * - `queued` → `in-flight` (claimed under a lease; the attempt count grows by one);
 * - `in-flight` → `done` (published; `result` set) | `failed` (dead letter; `error` set) |
 *   `queued` (retry later with a not-before time; or released on a graceful stop, or its lease
 *   expired and it is claimed again);
 * - `failed` → `queued` only on an explicit requeue (`batch retry RUN --failed`).
 * `invalid` is terminal: the row was refused by the validation pass and is never sent.
 */
export type BatchItemState = 'queued' | 'in-flight' | 'done' | 'failed' | 'invalid';

/** A coded reason, as stored for a dead letter, an invalid row or the last transient fault. */
export interface BatchError {
  /** A PasserelleError code (ERR_EBOX_*, ERR_IDS_*, ERR_FILE_*, ERR_TRANSPORT_*, ...) or ERR_INTERNAL. */
  readonly code: string;
  readonly message: string;
  /** Small, secret-free context (field, line, status, businessCode, ...). */
  readonly details?: ErrorDetails;
}

/** What a successful publication left: the platform's message id and a few safe facts. */
export interface BatchResult {
  readonly messageId: string;
  /** Small, secret-free facts (transport, size, digest, noDigitalUser, ...). */
  readonly details?: ErrorDetails;
}

/**
 * One item as a run is created with it: a manifest row after the validation pass. `key` is
 * deterministic (see `itemKey` in manifest.ts): the same row of the same manifest always gets the
 * same key, and for a valid row the publication carries the ticket (and sequence) derived from it,
 * so that any retry, resume or re-run sends the same ticket+sequence (SOAP: replaces the message)
 * and the same Idempotency-Key (REST: derived from application, ticket and sequence).
 */
export interface BatchItemSpec {
  /** Unique within the run; at most 200 printable ASCII characters. */
  readonly key: string;
  /** 1-based line of the manifest where the row starts (CSV: physical line; JSONL: line). */
  readonly line: number;
  /** The recipient as written (for reports, also of invalid rows). */
  readonly recipient: string;
  /** The publication to send, JSON-serialisable, document paths absolute. Absent when invalid. */
  readonly publication?: EboxPublication;
  /** Present for a row refused by validation: the item is stored `invalid`, never claimed. */
  readonly error?: BatchError;
}

/** An item as the store holds it. Times are milliseconds since the epoch. */
export interface BatchItem {
  readonly runId: string;
  readonly key: string;
  readonly line: number;
  readonly recipient: string;
  readonly state: BatchItemState;
  readonly publication?: EboxPublication;
  /** Claims so far (a released claim is given back and does not count). */
  readonly attempts: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Queued for a retry: not claimable before this time. */
  readonly notBefore?: number;
  /** In flight: the lease ends then; after it, the item may be claimed again. */
  readonly leaseExpiresAt?: number;
  /** When it ended `done` or `failed`. */
  readonly finishedAt?: number;
  readonly result?: BatchResult;
  /** Dead letter or invalid: the reason; queued after a transient fault: the last fault. */
  readonly error?: BatchError;
}

/** A claimed item: the item, and the lease that proves the claim to complete/fail/release it. */
export interface BatchClaim {
  readonly item: BatchItem;
  /**
   * Opaque claim token: SQLite a random id per claim, pg-boss the job id. A transition with a
   * token that no longer holds the item (lease expired and claimed by another worker) is refused.
   */
  readonly lease: string;
}

/** `open` runs can be claimed from; `creating` is a run whose items are not all stored yet. */
export type BatchRunState = 'creating' | 'open' | 'rejected';

export interface BatchRunInfo {
  readonly id: string;
  readonly state: BatchRunState;
  readonly createdAt: number;
  /** Items stored, invalid ones included. */
  readonly total: number;
  /** What the creator chose to keep (manifest path, transport, options): JSON, secret-free. */
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface BatchCounts {
  readonly total: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly done: number;
  readonly failed: number;
  readonly invalid: number;
  /** Among `queued`: waiting for a retry (not-before in the future or a previous attempt). */
  readonly retrying: number;
}
