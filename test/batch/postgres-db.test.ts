import assert from 'node:assert/strict';
import { test } from 'node:test';
import { _PostgresDb } from '../../src/batch/_postgres-db.ts';
import { requirePostgres } from '../_support/postgres.ts';

// The store's transactions: a deadlock victim (40P01) or a serialization failure (40001) is run
// again from the start (nothing of the aborted attempt stays); any other error is not.
test('postgres db: a transaction aborted as a deadlock victim is run again; other errors are not', async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const db = new _PostgresDb(pg.database(), 4, () => {});
  t.after(() => db.pool.end());
  await db.sql.query('CREATE TABLE seen (n integer)');
  let attempts = 0;
  const value = await db.tx(async (sql) => {
    attempts++;
    await sql.query('INSERT INTO seen VALUES ($1)', [attempts]);
    if (attempts < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    return 'ok';
  });
  assert.equal(value, 'ok');
  assert.equal(attempts, 3);
  assert.deepEqual(await db.sql.query('SELECT n FROM seen'), [{ n: 3 }]);

  let other = 0;
  await assert.rejects(
    db.tx(async () => {
      other++;
      throw Object.assign(new Error('unique'), { code: '23505' });
    }),
    /unique/,
  );
  assert.equal(other, 1);
  let stubborn = 0;
  await assert.rejects(
    db.tx(async () => {
      stubborn++;
      throw Object.assign(new Error('could not serialize'), { code: '40001' });
    }),
    /serialize/,
  );
  assert.equal(stubborn, 3);
});

test('postgres db: a real deadlock between two transactions ends with both committed', async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const db = new _PostgresDb(pg.database(), 4, () => {});
  t.after(() => db.pool.end());
  await db.sql.query('CREATE TABLE r (id integer PRIMARY KEY, v integer NOT NULL DEFAULT 0)');
  await db.sql.query('INSERT INTO r (id) VALUES (1), (2)');
  let gate: () => void = () => {};
  const bothLocked = new Promise<void>((resolve) => {
    let n = 0;
    gate = () => {
      if (++n === 2) resolve();
    };
  });
  let firstRound = true;
  const cross = (a: number, b: number) =>
    db.tx(async (sql) => {
      await sql.query('UPDATE r SET v = v + 1 WHERE id = $1', [a]);
      if (firstRound) {
        gate();
        await bothLocked;
      }
      await sql.query('UPDATE r SET v = v + 1 WHERE id = $1', [b]);
    });
  const done = Promise.all([cross(1, 2), cross(2, 1)]);
  await bothLocked;
  firstRound = false;
  await done;
  assert.deepEqual(await db.sql.query('SELECT id, v FROM r ORDER BY id'), [
    { id: 1, v: 2 },
    { id: 2, v: 2 },
  ]);
});
