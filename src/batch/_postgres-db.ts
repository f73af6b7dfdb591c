import pg from 'pg';
import type PgBoss from 'pg-boss';
import { PasserelleError } from '../errors.ts';

/** One statement's runner: the pool, or a client inside a transaction. */
export interface _Sql {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** The same connection as pg-boss's `db` option, so pg-boss's commands join the transaction. */
  readonly boss: PgBoss.Db;
}

function sqlOf(runner: pg.Pool | pg.PoolClient): _Sql {
  return {
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      return (await runner.query<R>(text, values)).rows;
    },
    boss: { executeSql: (text: string, values: unknown[]) => runner.query(text, values) },
  };
}

/** The connection URL without its password, for messages and details. */
export function _safeUrl(url: string): Record<string, string> {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port || '5432', database: u.pathname.replace(/^\//, '') };
  } catch {
    return {};
  }
}

/** A pg pool shared by the store and pg-boss (given to pg-boss as its `db`). */
export class _PostgresDb {
  readonly pool: pg.Pool;
  readonly sql: _Sql;

  constructor(url: string, max: number, onError: (error: Error) => void) {
    this.pool = new pg.Pool({ connectionString: url, max, application_name: 'passerelle-batch' });
    // An idle client losing its server must not crash the process: the next query reports it.
    this.pool.on('error', onError);
    this.sql = sqlOf(this.pool);
  }

  /**
   * Runs `fn` in one transaction (READ COMMITTED), committed when it resolves. A transaction the
   * server aborts as a deadlock victim or a serialization failure (e.g. against pg-boss's
   * maintenance expiring the same jobs) is run again, up to 3 times in all: `fn` only talks to
   * the database, so a rolled-back attempt left nothing behind.
   */
  async tx<T>(fn: (sql: _Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#tx(fn);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      }
    }
  }

  async #tx<T>(fn: (sql: _Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const value = await fn(sqlOf(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `fn` while this process holds a session-level advisory lock (waits for it). */
  async withSessionLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch((e: Error) => {
          broken = e;
        });
      }
    } finally {
      client.release(broken);
    }
  }

  /** Checks the server answers; a refusal is ERR_TRANSPORT_CONNECT naming host, port and database. */
  async ping(url: string): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (cause) {
      const where = _safeUrl(url);
      throw new PasserelleError(
        'ERR_TRANSPORT_CONNECT',
        `cannot reach the batch queue database ${where['host'] ?? '?'}:${where['port'] ?? '?'}/${where['database'] ?? '?'}`,
        { details: where, cause },
      );
    }
  }
}
