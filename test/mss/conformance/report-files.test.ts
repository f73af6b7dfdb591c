import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunResult } from '../../../src/mss/conformance/index.ts';
import { loadRunResult, writeReports } from '../../../src/mss/conformance/report-files.ts';
import { renderReportHtml } from '../../../src/mss/conformance/report-html.ts';
import { renderReportPdf } from '../../../src/mss/conformance/report-pdf.ts';
import { rejectsCode } from '../../_support/assert-code.ts';
import { tempDir } from '../../_support/tmp.ts';
import { blockingRun, incompleteRun, unicodeRun } from './_report-fixtures.ts';

test('writeReports creates the folder and writes run.json (pretty), report.html and report.pdf, no temporary file left', async (t) => {
  const dir = join(tempDir(t, 'passerelle-report-files-'), 'runs', 'run-20261203-0001');
  const run = blockingRun();
  const paths = await writeReports(dir, run);
  assert.deepEqual(paths, {
    json: join(dir, 'run.json'),
    html: join(dir, 'report.html'),
    pdf: join(dir, 'report.pdf'),
  });
  assert.deepEqual(readdirSync(dir).sort(), ['report.html', 'report.pdf', 'run.json']);
  const json = readFileSync(paths.json, 'utf8');
  assert.equal(json, `${JSON.stringify(run, null, 2)}\n`);
  assert.equal(readFileSync(paths.html, 'utf8'), renderReportHtml(run));
  assert.deepEqual(readFileSync(paths.pdf), Buffer.from(await renderReportPdf(run)));
  assert.equal(readFileSync(paths.pdf).subarray(0, 5).toString('latin1'), '%PDF-');
});

test('reports are reproducible from run.json: loadRunResult then writeReports again gives the same bytes, and overwrites', async (t) => {
  const base = tempDir(t, 'passerelle-report-files-');
  for (const make of [blockingRun, incompleteRun, unicodeRun]) {
    const first = await writeReports(join(base, 'a'), make());
    const loaded = await loadRunResult(first.json);
    assert.deepEqual(loaded, make());
    const second = await writeReports(join(base, 'b'), loaded);
    for (const k of ['json', 'html', 'pdf'] as const)
      assert.deepEqual(readFileSync(second[k]), readFileSync(first[k]), `${k} identical`);
    await writeReports(join(base, 'b'), loaded); // same folder again: replaced, not refused
    assert.deepEqual(readdirSync(join(base, 'b')).sort(), ['report.html', 'report.pdf', 'run.json']);
  }
});

test('writeReports refuses an invalid run with ERR_MSS_CONFORMANCE_RESULT_INVALID and writes nothing', async (t) => {
  const dir = join(tempDir(t, 'passerelle-report-files-'), 'out');
  const run = blockingRun();
  const e = await rejectsCode(
    writeReports(dir, { ...run, verdict: { ...run.verdict, level: 'conformant' } }),
    'ERR_MSS_CONFORMANCE_RESULT_INVALID',
  );
  assert.deepEqual(e.details['issues'], ['/verdict: does not follow from the results']);
  await rejectsCode(
    writeReports(dir, { ...run, extra: 1 } as unknown as RunResult),
    'ERR_MSS_CONFORMANCE_RESULT_INVALID',
  );
  assert.equal(existsSync(dir), false);
});

test('loadRunResult: not JSON, JSON that is not a valid run, a missing file — each with its code', async (t) => {
  const dir = tempDir(t, 'passerelle-report-files-');
  const notJson = join(dir, 'broken.json');
  writeFileSync(notJson, '{"schemaVersion": 1,');
  const e1 = await rejectsCode(loadRunResult(notJson), 'ERR_MSS_CONFORMANCE_RESULT_INVALID');
  assert.deepEqual(e1.details['issues'], ['/: not JSON']);
  const invalid = join(dir, 'invalid.json');
  const { verdict: _verdict, ...noVerdict } = blockingRun();
  writeFileSync(invalid, JSON.stringify(noVerdict));
  const e2 = await rejectsCode(loadRunResult(invalid), 'ERR_MSS_CONFORMANCE_RESULT_INVALID');
  assert.ok(
    (e2.details['issues'] as string[]).some((i) => i.includes("must have required property 'verdict'")),
  );
  await rejectsCode(loadRunResult(join(dir, 'absent.json')), 'ERR_FILE_NOT_FOUND');
  await rejectsCode(loadRunResult(dir), 'ERR_FILE_UNREADABLE');
});

test('writeReports into a path that is a file: ERR_FILE_UNWRITABLE', async (t) => {
  const dir = tempDir(t, 'passerelle-report-files-');
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  await rejectsCode(writeReports(join(file, 'sub'), blockingRun()), 'ERR_FILE_UNWRITABLE');
});
