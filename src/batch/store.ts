import type {
  BatchClaim,
  BatchCounts,
  BatchError,
  BatchItem,
  BatchItemSpec,
  BatchItemState,
  BatchResult,
  BatchRunInfo,
} from './types.ts';

/** What a run is created from. */
export interface CreateRunInput {
  /**
   * The run id; default a new one (`run-` + time + random). At most 64 of [A-Za-z0-9._-]. An id
   * whose creation was interrupted (a `creating` run: the process was killed) is created again
   * from scratch; an id already `open` or `rejected` is a TypeError.
   */
  readonly id?: string;
  /** Kept with the run (manifest path, transport, chosen options): JSON, secret-free. */
  readonly meta?: Readonly<Record<string, unknown>>;
  /**
   * The items, streamed: a store writes them in bounded chunks (never all in memory) and opens
   * the run only once the last one is stored, so a crash during creation leaves a `creating`
   * run that nothing claims from. A key repeated within the run is a TypeError (the manifest
   * reader never yields one).
   */
  readonly items: AsyncIterable<BatchItemSpec> | Iterable<BatchItemSpec>;
  /** When true and at least one item is invalid, the run is stored `rejected`: nothing is ever claimed (strict mode). */
  readonly rejectIfInvalid?: boolean;
}

export interface ClaimOptions {
  /** At most this many items (≥ 1). */
  readonly limit: number;
  /**
   * How long the claim holds, ms. An item whose lease ends without a transition is claimable
   * again (a crashed or killed worker leaves nothing stuck). pg-boss: the job's expiration.
   */
  readonly leaseMs: number;
  /** Who claims (process/host id), for diagnostics only. */
  readonly owner?: string;
}

export interface ListItemsOptions {
  /** Only items in these states; default all. */
  readonly states?: readonly BatchItemState[];
  /** Rows per page read from the store (memory bound of the iteration); default 500. */
  readonly pageSize?: number;
}

export interface RequeueOptions {
  /** Only dead letters with one of these codes; default every dead letter. */
  readonly codes?: readonly string[];
}

/**
 * The durable state of batch runs: a queue of items with leases, and their outcome. Two
 * implementations share this contract and the runner (`runBatch`) uses nothing else:
 * - SQLite (`openSqliteBatchStore`): one process, one state file; leases expire on the store's
 *   injectable clock.
 * - PostgreSQL with pg-boss (postgres-*.ts): N worker processes on several machines share one
 *   run; `claim` is `fetch` (batch size = limit, expiration = leaseMs), `complete` is
 *   `complete`, `deadLetter` is `fail` with no retry left, `retryLater` re-enqueues with
 *   `startAfter`, and pg-boss's job expiry is the lease; the item table alongside keeps what
 *   `counts` and `items` report.
 *
 * Contract, whatever the backend:
 * - A run and all its items are stored before any work starts (`createRun` resolves only then).
 * - `claim` returns only items of an `open` run that are due: `queued` with no not-before time or
 *   one ≤ now, or `in-flight` whose lease has expired. Each is moved to `in-flight` under a new
 *   lease, its attempt count grown by one, atomically: two concurrent claims never return the
 *   same item. Order: the oldest due first (line order for a fresh run). A claim costs
 *   O(limit), not O(run size).
 * - The transitions (`complete`, `retryLater`, `deadLetter`, `release`) take the claim; each is
 *   atomic and durable when its promise resolves, and resolves `false` (changing nothing) when
 *   the claim no longer holds the item (its lease expired and another worker claimed it, or it
 *   already ended). They never throw for that.
 * - Times come from the store's clock (SQLite: injectable; PostgreSQL: the database's).
 * - An unknown run id: `claim`/`items` yield nothing, `counts` zeros, `getRun` undefined. Wrong
 *   use (limit < 1, leaseMs ≤ 0, a closed store, a repeated key) is a TypeError. A state that
 *   cannot be opened or written is a PasserelleError (SQLite: ERR_FILE_UNREADABLE /
 *   ERR_FILE_UNWRITABLE naming the state file).
 */
export interface BatchStore {
  /** Creates a run from its items (see CreateRunInput): every item stored, then the run opened. */
  createRun(input: CreateRunInput): Promise<BatchRunInfo>;

  /** The run, or undefined. */
  getRun(runId: string): Promise<BatchRunInfo | undefined>;

  /** Every run, newest first. */
  listRuns(): Promise<BatchRunInfo[]>;

  /** Claims up to `limit` due items under a lease (see the contract above). */
  claim(runId: string, options: ClaimOptions): Promise<BatchClaim[]>;

  /** in-flight → done, with the platform's result. */
  complete(claim: BatchClaim, result: BatchResult): Promise<boolean>;

  /**
   * in-flight → queued, not claimable before `notBefore` (ms since the epoch); `error` is the
   * transient fault, kept for the report. The attempt count stays (it counted the claim).
   */
  retryLater(claim: BatchClaim, notBefore: number, error: BatchError): Promise<boolean>;

  /** in-flight → failed (dead letter) with the coded reason. */
  deadLetter(claim: BatchClaim, error: BatchError): Promise<boolean>;

  /**
   * in-flight → queued at once, the claim given back (attempt count decreased by one): for
   * items claimed but not started when a graceful stop is asked.
   */
  release(claim: BatchClaim): Promise<boolean>;

  /** failed → queued (attempts kept) for `batch retry RUN --failed`; resolves how many. */
  requeueFailed(runId: string, options?: RequeueOptions): Promise<number>;

  /** How many items are in each state (zeros for an unknown run). */
  counts(runId: string): Promise<BatchCounts>;

  /** Every item of the run in line order, read page by page (for reports and status). */
  items(runId: string, options?: ListItemsOptions): AsyncIterable<BatchItem>;

  /** Releases the connection/file. Claims still held simply expire. Idempotent. */
  close(): Promise<void>;
}
