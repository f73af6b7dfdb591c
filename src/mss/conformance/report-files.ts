/**
 * The three report files of a conformance run in one folder: run.json (the record, pretty
 * printed), report.html and report.pdf (both rendered from that JSON only). Each file is
 * written under a temporary name in the same folder and renamed, so a reader never sees half a
 * report. loadRunResult reads a run.json back and validates it, to re-render a report later.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PasserelleError } from '../../errors.ts';
import { assertValidRun } from './_report-model.ts';
import { renderReportHtml } from './report-html.ts';
import { renderReportPdf } from './report-pdf.ts';
import type { RunResult } from './report-schema.ts';

export interface ReportPaths {
  readonly json: string;
  readonly html: string;
  readonly pdf: string;
}

function unwritable(path: string, cause: unknown): PasserelleError {
  return new PasserelleError('ERR_FILE_UNWRITABLE', `cannot write the conformance report ${path}`, {
    details: { path },
    cause,
  });
}

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.part`;
  try {
    await writeFile(temp, data, { mode: 0o644 });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw unwritable(path, e);
  }
}

/**
 * Writes run.json, report.html and report.pdf of `run` into `dir` (created if needed) and
 * returns their paths. Throws ERR_MSS_CONFORMANCE_RESULT_INVALID, writing nothing, when `run`
 * is not a valid run result; ERR_FILE_UNWRITABLE when the folder or a file cannot be written.
 */
export async function writeReports(dir: string, run: RunResult): Promise<ReportPaths> {
  assertValidRun(run);
  // Rendered before anything is written: a renderer failure leaves no partial set.
  const json = `${JSON.stringify(run, null, 2)}\n`;
  const html = renderReportHtml(run);
  const pdf = await renderReportPdf(run);
  await mkdir(dir, { recursive: true }).catch((e: unknown) => {
    throw unwritable(dir, e);
  });
  const paths = { json: join(dir, 'run.json'), html: join(dir, 'report.html'), pdf: join(dir, 'report.pdf') };
  await writeAtomic(paths.json, json);
  await writeAtomic(paths.html, html);
  await writeAtomic(paths.pdf, pdf);
  return paths;
}

/**
 * Reads a run result from `file` and validates it. Throws ERR_MSS_CONFORMANCE_RESULT_INVALID
 * when the file is not JSON or not a valid run result, ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE
 * when it cannot be read.
 */
export async function loadRunResult(file: string): Promise<RunResult> {
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    const code = cause.code === 'ENOENT' ? 'ERR_FILE_NOT_FOUND' : 'ERR_FILE_UNREADABLE';
    throw new PasserelleError(code, `cannot read the run result ${file}`, { details: { path: file }, cause });
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PasserelleError(
      'ERR_MSS_CONFORMANCE_RESULT_INVALID',
      `${file} is not JSON: ${(e as Error).message}`,
      {
        details: { issues: ['/: not JSON'], path: file },
        cause: e,
      },
    );
  }
  assertValidRun(json);
  return json;
}
