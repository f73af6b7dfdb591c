import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { _csvRecords } from '../../src/batch/_csv.ts';
import { openSqliteBatchStore } from '../../src/batch/sqlite-store.ts';
import { BATCH_REPORT_COLUMNS, writeBatchReport } from '../../src/batch/write-report.ts';
import { isPasserelleError } from '../../src/errors.ts';
import { tempDir } from '../_support/tmp.ts';
import { fakeTime, specs, T0 } from './_fixtures.ts';

/** A run with one item in each state: done, failed, invalid, queued after a transient fault, queued. */
async function mixedRun() {
  const { clock } = fakeTime();
  const store = openSqliteBatchStore({ path: ':memory:', clock });
  await store.createRun({
    id: 'r',
    items: [
      ...specs(4),
      {
        key: 'L:9',
        line: 9,
        recipient: '12345678901',
        error: { code: 'ERR_IDS_INSS_INVALID', message: 'bad INSS, "really"', details: { line: 9 } },
      },
    ],
  });
  const [a, b, c] = await store.claim('r', { limit: 3, leaseMs: 1000 });
  clock.advance(250);
  await store.complete(a!, { messageId: 'msg-1', details: { size: 42 } });
  await store.deadLetter(b!, { code: 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED', message: 'not, authorized' });
  await store.retryLater(c!, T0 + 5000, { code: 'ERR_TRANSPORT_HTTP_STATUS', message: 'HTTP 503' });
  return store;
}

describe('writeBatchReport', () => {
  it('CSV: a header, every item in line order with state, attempts, messageId, code and message, quoted per RFC 4180', async (t) => {
    const store = await mixedRun();
    const path = join(tempDir(t), 'report.csv');
    assert.equal(await writeBatchReport(store, 'r', path), 5);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.endsWith('\r\n'));
    const records = [];
    for await (const r of _csvRecords([text])) records.push(r);
    assert.deepEqual(records[0]!.fields, [...BATCH_REPORT_COLUMNS]);
    const rows = records
      .slice(1)
      .map((r) => Object.fromEntries(BATCH_REPORT_COLUMNS.map((c, i) => [c, r.fields[i]])));
    assert.deepEqual(
      rows.map((r) => [r['line'], r['state'], r['attempts'], r['messageId'], r['code'], r['message']]),
      [
        ['2', 'done', '1', 'msg-1', '', ''],
        ['3', 'failed', '1', '', 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED', 'not, authorized'],
        ['4', 'queued', '1', '', 'ERR_TRANSPORT_HTTP_STATUS', 'HTTP 503'],
        ['5', 'queued', '0', '', '', ''],
        ['9', 'invalid', '0', '', 'ERR_IDS_INSS_INVALID', 'bad INSS, "really"'],
      ],
    );
    assert.equal(rows[0]!['ticket'], 'TEST-0');
    assert.equal(rows[0]!['finishedAt'], new Date(T0 + 250).toISOString());
    assert.equal(rows[4]!['file'], '');
  });

  it('JSON: the run, its counts and every item, streamed to a writable', async () => {
    const store = await mixedRun();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    assert.equal(await writeBatchReport(store, 'r', out, { format: 'json' }), 5);
    const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      run: { id: string; createdAt: string };
      counts: Record<string, number>;
      items: Record<string, unknown>[];
    };
    assert.equal(report.run.id, 'r');
    assert.equal(report.run.createdAt, new Date(T0).toISOString());
    assert.deepEqual(report.counts, {
      total: 5,
      queued: 2,
      inFlight: 0,
      done: 1,
      failed: 1,
      invalid: 1,
      retrying: 1,
    });
    assert.deepEqual(Object.keys(report.items[0]!), [...BATCH_REPORT_COLUMNS]);
    assert.deepEqual(
      report.items.map((i) => i['state']),
      ['done', 'failed', 'queued', 'queued', 'invalid'],
    );
    assert.equal(report.items[0]!['messageId'], 'msg-1');
  });

  it('a path that cannot be written is ERR_FILE_UNWRITABLE; an unknown run a TypeError', async (t) => {
    const store = await mixedRun();
    await assert.rejects(
      writeBatchReport(store, 'r', join(tempDir(t), 'no', 'such', 'dir', 'r.json')),
      (e) => {
        assert.ok(isPasserelleError(e, 'ERR_FILE_UNWRITABLE'), String(e));
        return true;
      },
    );
    await assert.rejects(writeBatchReport(store, 'nope', new PassThrough()), TypeError);
  });
});
