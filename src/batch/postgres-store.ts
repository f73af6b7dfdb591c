import { _postgresSchemaSql, _queueName } from './_postgres-schema.ts';
import type { BatchStore } from './store.ts';

export interface OpenPostgresBatchStoreOptions {
  /** `postgres://user:password@host:port/database`; the password never reaches an error. */
  readonly url: string;
  /** Schema of the run and item tables (created if absent); default `passerelle_batch`. */
  readonly schema?: string;
  /** Schema of pg-boss (created and migrated by pg-boss); default `<schema>_pgboss`. */
  readonly bossSchema?: string;
  /** Items written per transaction while a run is created; default 1000. */
  readonly chunkSize?: number;
  /** Connections this process opens at most; default 10. */
  readonly maxConnections?: number;
  /**
   * How often pg-boss's maintenance runs (one worker per interval across all of them): it expires
   * the jobs of lapsed leases, which makes them claimable again. Default 10 s.
   */
  readonly maintenanceIntervalSeconds?: number;
  /** Background errors of the pool or of pg-boss's maintenance; default ignored (the next call reports). */
  readonly onError?: (error: Error) => void;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,40}$/;
/** The pg-boss queue of a run (for operators looking at pg-boss's tables). */
export function postgresQueueName(runId: string): string {
  return _queueName(runId);
}

/**
 * Opens the batch store on PostgreSQL through pg-boss: N worker processes, on as many machines,
 * open it with the same URL and share a run — one creates it (`createRun`), the others claim from
 * it by its id. No distribution layer of our own:
 *
 * - a run is a pg-boss queue (`batch.<run id>`), each queued item one job whose id derives from the
 *   run, the item's key and a generation count, so enqueueing an item twice never makes two jobs;
 * - `claim` is pg-boss's `fetch` (batch size = limit; SKIP LOCKED, so two workers never get the
 *   same job), with the job's expiration set to the lease; a worker killed mid-item leaves an
 *   active job that pg-boss's maintenance expires and retries, i.e. the item is claimable again;
 * - `complete` completes the job, `deadLetter` cancels it, `release` fails it (pg-boss retries it
 *   at once), `retryLater` and `requeueFailed` enqueue a successor job (`startAfter` = not-before);
 * - each transition runs in one transaction with pg-boss's command on the same connection, and
 *   the outcome (result, coded error, attempts, times) is kept in this store's `items` table
 *   (schema `passerelle_batch`), where `counts`, `items` and reports read it with plain SQL.
 *
 * Times are the database's. Lease expiry is noticed at pg-boss's next maintenance
 * (`maintenanceIntervalSeconds`). An unreachable server is ERR_TRANSPORT_CONNECT (host, port and
 * database named, never the password); a bad URL or option is a TypeError.
 */
export async function openPostgresBatchStore(options: OpenPostgresBatchStoreOptions): Promise<BatchStore> {
  const {
    url,
    schema = 'passerelle_batch',
    bossSchema = `${schema}_pgboss`,
    chunkSize = 1000,
    maxConnections = 10,
    maintenanceIntervalSeconds = 10,
    onError = () => {},
  } = options;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url))
    throw new TypeError('openPostgresBatchStore: url must be postgres://… or postgresql://…');
  if (!SCHEMA.test(schema) || !SCHEMA.test(bossSchema))
    throw new TypeError(
      'openPostgresBatchStore: a schema is 1 to 41 of [a-z0-9_], not starting with a digit',
    );
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new TypeError('openPostgresBatchStore: chunkSize ≥ 1');
  if (!Number.isInteger(maxConnections) || maxConnections < 2)
    throw new TypeError('openPostgresBatchStore: maxConnections ≥ 2');
  if (!Number.isInteger(maintenanceIntervalSeconds) || maintenanceIntervalSeconds < 1)
    throw new TypeError('openPostgresBatchStore: maintenanceIntervalSeconds is a whole number ≥ 1');
  // Loaded here, not at import: a SQLite user of `passerelle/batch` never loads pg-boss or pg.
  const [{ default: PgBoss }, { _PostgresBatchStore }, { _PostgresDb }] = await Promise.all([
    import('pg-boss'),
    import('./_postgres-batch-store.ts'),
    import('./_postgres-db.ts'),
  ]);
  const db = new _PostgresDb(url, maxConnections, onError);
  try {
    await db.ping(url);
    const boss = new PgBoss({
      db: db.sql.boss,
      schema: bossSchema,
      supervise: true,
      schedule: false,
      migrate: true,
      maintenanceIntervalSeconds,
    });
    boss.on('error', onError);
    // Workers starting together: one creates the tables and pg-boss's schema, the others wait for
    // it and find them (pg-boss's own creation is not safe against a concurrent one).
    await db.withSessionLock(`passerelle-batch-init:${schema}:${bossSchema}`, async () => {
      await db.sql.query(_postgresSchemaSql(schema));
      await boss.start();
    });
    return new _PostgresBatchStore(db, boss, schema, bossSchema, chunkSize);
  } catch (error) {
    await db.pool.end().catch(() => {});
    throw error;
  }
}
