import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchItemSpec } from '../../src/batch/index.ts';
import { openPostgresBatchStore } from '../../src/batch/postgres-store.ts';
import { requirePostgres } from '../_support/postgres.ts';

// _postgres-create-run.ts: a creation that fails after some chunks leaves nothing behind, and the
// same run id can be created again. pg-boss 10's deleteQueue refuses a queue that still holds
// jobs (ON DELETE RESTRICT): the queue's jobs must go first, as after a creator killed mid-way.

function spec(line: number): BatchItemSpec {
  return {
    key: `k${line}`,
    line,
    recipient: '85073003328',
    publication: {
      recipient: '85073003328',
      messageType: 'PAYMENT_STATEMENT',
      subject: { lang: 'fr', text: `Statement ${line}` },
      document: { path: `/data/statement-${line}.pdf` },
      ticket: `T${line}`,
      sequence: 0,
    },
  };
}

test('postgres store: a creation failing after two chunks removes its run and jobs; the id is created again with only the new items', async (t) => {
  const pg = await requirePostgres(t);
  if (!pg) return;
  const store = await openPostgresBatchStore({
    url: pg.database(),
    maintenanceIntervalSeconds: 1,
    chunkSize: 7,
  });
  t.after(() => store.close());
  async function* failing() {
    for (let line = 2; line < 17; line++) yield spec(line);
    throw Object.assign(new Error('manifest read failed'), { code: 'EIO' });
  }
  await assert.rejects(store.createRun({ id: 'again', items: failing() }), { code: 'EIO' });
  assert.equal(await store.getRun('again'), undefined);

  const run = await store.createRun({ id: 'again', items: [spec(100), spec(101), spec(102)] });
  assert.equal(run.state, 'open');
  assert.equal(run.total, 3);
  const claims = await store.claim('again', { limit: 50, leaseMs: 60_000 });
  assert.deepEqual(
    claims.map((c) => c.item.line),
    [100, 101, 102],
    'no job of the failed creation is left to claim',
  );
});
