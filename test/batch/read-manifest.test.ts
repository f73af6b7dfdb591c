import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { createRunFromManifest } from '../../src/batch/create-run-from-manifest.ts';
import { readManifest } from '../../src/batch/read-manifest.ts';
import { runBatch } from '../../src/batch/run-batch.ts';
import { openSqliteBatchStore } from '../../src/batch/sqlite-store.ts';
import type { BatchItemSpec } from '../../src/batch/types.ts';
import { type ErrorCode, isPasserelleError } from '../../src/errors.ts';
import { tempDir } from '../_support/tmp.ts';
import { fakeTime } from './_fixtures.ts';

const TYPE = 'PASSERELLE_PAYMENT_STATEMENT';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A directory with a manifest and documents a.pdf, b.pdf (different bytes) in docs/. */
function setup(t: TestContext, name: string, text: string): string {
  const dir = tempDir(t, 'passerelle-manifest-');
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'a.pdf'), '%PDF-1.7\na\n%%EOF\n');
  writeFileSync(join(dir, 'docs', 'b.pdf'), '%PDF-1.7\nb\n%%EOF\n');
  writeFileSync(join(dir, 'docs', 'empty.pdf'), '');
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

async function rejectsCode(promise: Promise<unknown>, code: ErrorCode) {
  let caught: { details: Record<string, unknown> } | undefined;
  await assert.rejects(promise, (e) => {
    assert.ok(isPasserelleError(e, code), `expected ${code}, got ${String(e)}`);
    caught = e as never;
    return true;
  });
  return caught!;
}

function errors(items: BatchItemSpec[]) {
  return items
    .filter((i) => i.error !== undefined)
    .map((i) => ({ line: i.line, code: i.error!.code, field: i.error!.details?.['field'] }));
}

describe('readManifest', () => {
  it('CSV: rows become publications, files resolved from the manifest directory, tickets derived and stable', async (t) => {
    const path = setup(
      t,
      'm.csv',
      '\uFEFFrecipient,messageType,title,file,ticket,sequence,lang,fileName,mime\r\n' +
        `85.07.30-033.28,${TYPE},"Relevé, ""mai""",docs/a.pdf,,,nl,,\r\n` +
        `05031212360,${TYPE},Décision,docs/b.pdf,DEC-1,2,,decision.pdf,application/pdf\r\n`,
    );
    const items = await collect(readManifest(path));
    assert.equal(items.length, 2);
    const [a, b] = items;
    assert.equal(a!.line, 2);
    assert.equal(a!.recipient, '85073003328');
    assert.deepEqual(a!.publication!.subject, { lang: 'nl', text: 'Relevé, "mai"' });
    assert.equal(a!.publication!.document.path, join(path, '..', 'docs', 'a.pdf'));
    assert.match(a!.publication!.ticket!, /^P[0-9A-F]{24}$/);
    assert.equal(a!.key, `T:${a!.publication!.ticket}#`);
    assert.deepEqual(
      { ticket: b!.publication!.ticket, sequence: b!.publication!.sequence, key: b!.key },
      { ticket: 'DEC-1', sequence: 2, key: 'T:DEC-1#2' },
    );
    assert.deepEqual(b!.publication!.document, {
      path: join(path, '..', 'docs', 'b.pdf'),
      fileName: 'decision.pdf',
      mime: 'application/pdf',
    });
    const again = await collect(readManifest(path, { readAhead: 1 }));
    assert.equal(again[0]!.publication!.ticket, a!.publication!.ticket, 'the same row, the same ticket');
    const other = await collect(readManifest(path, { keyNamespace: '2026-12' }));
    assert.notEqual(
      other[0]!.publication!.ticket,
      a!.publication!.ticket,
      'another namespace, another ticket',
    );
  });

  it('JSON Lines: the same columns as keys, sequence as a number; REST needs no ticket but gets one', async (t) => {
    const path = setup(
      t,
      'm.jsonl',
      `${JSON.stringify({ recipient: '85073003328', messageType: TYPE, title: 'A', file: 'docs/a.pdf', ticket: 'T-1', sequence: 7 })}\n` +
        `\n${JSON.stringify({ recipient: '05031212360', messageType: TYPE, title: 'B', file: 'docs/b.pdf' })}\n`,
    );
    const items = await collect(readManifest(path, { transport: 'rest' }));
    assert.deepEqual(
      items.map((i) => [i.line, i.error]),
      [
        [1, undefined],
        [3, undefined],
      ],
    );
    assert.equal(items[0]!.key, 'T:T-1#7');
    assert.match(items[1]!.publication!.ticket!, /^P[0-9A-F]{24}$/);
    assert.equal(items[0]!.publication!.sequence, 7);
  });

  it('bad rows are reported by line with a code and do not stop the good ones', async (t) => {
    const dir = setup(t, 'm.csv', '');
    const path = join(dir, '..', 'm.csv');
    mkdirSync(join(dir, '..', 'docs', 'folder.pdf'));
    writeFileSync(
      path,
      [
        'recipient,messageType,title,file,ticket,sequence',
        `85073003328,${TYPE},ok,docs/a.pdf,,`, // 2 good
        `12345678901,${TYPE},bad inss,docs/a.pdf,,`, // 3
        `05031212360,${TYPE},missing,docs/missing.pdf,,`, // 4
        `05031212360,${TYPE},empty,docs/empty.pdf,,`, // 5
        `05031212360,${TYPE},folder,docs/folder.pdf,,`, // 6
        `85073003328,${TYPE},ok,docs/a.pdf,,`, // 7 duplicate of 2
        `91451545659,${TYPE},first,docs/b.pdf,T-9,1`, // 8 good
        `85073003328,${TYPE},other,docs/a.pdf,T-9,1`, // 9 same ticket+sequence as 8
        `91451545659,SHORT,type,docs/b.pdf,,`, // 10 message type too short
        `91451545659,${TYPE},${'x'.repeat(401)},docs/b.pdf,,`, // 11 title too long
        `91451545659,${TYPE},mime,docs/b.pdf,T-10,x`, // 12 sequence not a number
        `91451545659,${TYPE},fields`, // 13 field count
        `91451545659,${TYPE},"quote"x,docs/b.pdf,,`, // 14 malformed
        `05031212360,${TYPE},,docs/b.pdf,,`, // 15 title missing
        `05031212360,${TYPE},good,docs/b.pdf,,`, // 16 good
      ].join('\n'),
    );
    const items = await collect(readManifest(path));
    assert.deepEqual(errors(items), [
      { line: 3, code: 'ERR_IDS_INSS_INVALID', field: 'recipient' },
      { line: 4, code: 'ERR_FILE_NOT_FOUND', field: 'file' },
      { line: 5, code: 'ERR_EBOX_INVALID_INPUT', field: 'file' },
      { line: 6, code: 'ERR_FILE_UNREADABLE', field: 'file' },
      { line: 7, code: 'ERR_EBOX_DUPLICATE', field: 'ticket' },
      { line: 9, code: 'ERR_EBOX_DUPLICATE', field: 'ticket' },
      { line: 10, code: 'ERR_EBOX_INVALID_INPUT', field: 'messageType' },
      { line: 11, code: 'ERR_EBOX_INVALID_INPUT', field: 'subject.text' },
      { line: 12, code: 'ERR_EBOX_INVALID_INPUT', field: 'sequence' },
      { line: 13, code: 'ERR_EBOX_INVALID_INPUT', field: 'manifest' },
      { line: 14, code: 'ERR_EBOX_INVALID_INPUT', field: 'manifest' },
      { line: 15, code: 'ERR_EBOX_INVALID_INPUT', field: 'title' },
    ]);
    assert.deepEqual(
      items.filter((i) => i.error === undefined).map((i) => i.line),
      [2, 8, 16],
    );
    const dup = items.find((i) => i.line === 7)!;
    assert.equal(dup.error!.details!['firstLine'], 2);
    assert.equal(items.find((i) => i.line === 9)!.error!.details!['firstLine'], 8);
    assert.equal(new Set(items.map((i) => i.key)).size, items.length, 'keys unique, bad rows included');
  });

  it('an unreadable file is ERR_FILE_UNREADABLE (a directory; and a mode-000 file unless root)', async (t) => {
    const path = setup(t, 'm.csv', `recipient,messageType,title,file\n85073003328,${TYPE},x,docs/a.pdf\n`);
    const root = process.getuid?.() === 0; // root reads a mode-000 file: only the directory case applies
    if (root) {
      rmSync(join(path, '..', 'docs', 'a.pdf'));
      mkdirSync(join(path, '..', 'docs', 'a.pdf'));
    } else chmodSync(join(path, '..', 'docs', 'a.pdf'), 0);
    assert.deepEqual(errors(await collect(readManifest(path))), [
      { line: 2, code: 'ERR_FILE_UNREADABLE', field: 'file' },
    ]);
  });

  it('a manifest missing required columns is one error naming them, before any row', async (t) => {
    const path = setup(t, 'm.csv', `recipient,messageType\n85073003328,${TYPE}\n`);
    const e = await rejectsCode(collect(readManifest(path)), 'ERR_EBOX_INVALID_INPUT');
    assert.deepEqual(e.details['missing'], ['title', 'file']);
    assert.equal(e.details['field'], 'manifest');
    const unknown = setup(t, 'u.csv', 'recipient,messageType,title,file,colour\n');
    assert.deepEqual(
      (await rejectsCode(collect(readManifest(unknown)), 'ERR_EBOX_INVALID_INPUT')).details['unknown'],
      ['colour'],
    );
    await rejectsCode(collect(readManifest(setup(t, 'e.csv', ''))), 'ERR_EBOX_INVALID_INPUT');
    await rejectsCode(collect(readManifest(setup(t, 'm.txt', 'x'))), 'ERR_EBOX_INVALID_INPUT');
    await rejectsCode(collect(readManifest(join(path, '..', 'nope.csv'))), 'ERR_FILE_NOT_FOUND');
  });
});

describe('createRunFromManifest', () => {
  const MIXED = `recipient,messageType,title,file\n85073003328,${TYPE},ok,docs/a.pdf\n12345678901,${TYPE},bad,docs/a.pdf\n`;

  it('stores every row before anything is sent: good rows queued, bad rows invalid with line and code', async (t) => {
    const store = openSqliteBatchStore({ path: ':memory:', clock: fakeTime().clock });
    const run = await createRunFromManifest(store, setup(t, 'm.csv', MIXED), { id: 'r' });
    assert.equal(run.state, 'open');
    assert.equal(run.total, 2);
    assert.equal(run.meta['transport'], 'soap');
    const counts = await store.counts('r');
    assert.deepEqual([counts.queued, counts.invalid], [1, 1]);
  });

  it('strict: one bad row rejects the run and nothing is sent', async (t) => {
    const time = fakeTime();
    const store = openSqliteBatchStore({ path: ':memory:', clock: time.clock });
    const run = await createRunFromManifest(store, setup(t, 'm.csv', MIXED), { id: 'r', strict: true });
    assert.equal(run.state, 'rejected');
    let sent = 0;
    const result = await runBatch(store, 'r', {
      publish: async () => {
        sent++;
        return { messageId: 'm' };
      },
      clock: time.clock,
      sleep: time.sleep,
    });
    assert.equal(sent, 0);
    assert.deepEqual([result.counts.queued, result.counts.done, result.counts.invalid], [1, 0, 1]);
  });

  it('a manifest that cannot be read leaves no run behind', async (t) => {
    const store = openSqliteBatchStore({ path: ':memory:', clock: fakeTime().clock });
    const path = setup(t, 'm.csv', 'recipient\n');
    await rejectsCode(createRunFromManifest(store, path, { id: 'r' }), 'ERR_EBOX_INVALID_INPUT');
    assert.equal(await store.getRun('r'), undefined);
  });
});
