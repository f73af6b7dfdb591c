import assert from 'node:assert/strict';
import { test } from 'node:test';
import PgBoss from 'pg-boss';
import { requirePostgres } from '../_support/postgres.ts';

// pg-boss 10 against a real PostgreSQL: the library creates its schema, and a job sent once
// with a singleton key is fetched once, completed, and never sent twice.
test('pg-boss 10 creates its schema, sends, fetches and completes jobs on a real PostgreSQL', async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const boss = new PgBoss({ connectionString: pg.database(), supervise: false, schedule: false });
  boss.on('error', (e) => assert.fail(e));
  await boss.start();
  t.after(() => boss.stop({ graceful: false, wait: true }));
  assert.equal(await boss.isInstalled(), true);

  await boss.createQueue('spike');
  const first = await boss.send('spike', { n: 1 }, { singletonKey: 'item-1' });
  assert.ok(first);
  // A second send with the same id is refused (ON CONFLICT DO NOTHING): the job exists once.
  assert.equal(await boss.send('spike', { n: 1 }, { id: first }), null);
  await boss.insert(Array.from({ length: 9 }, (_, i) => ({ name: 'spike', data: { n: i + 2 } })));
  assert.equal(await boss.getQueueSize('spike'), 10);

  const jobs = await boss.fetch<{ n: number }>('spike', { batchSize: 100 });
  assert.equal(jobs.length, 10);
  assert.deepEqual(
    jobs.map((j) => j.data.n).sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assert.deepEqual(await boss.fetch('spike'), []);
  await boss.complete(
    'spike',
    jobs.map((j) => j.id),
  );
  const done = await boss.getJobById('spike', first, { includeArchive: true });
  assert.equal(done?.state, 'completed');
});
