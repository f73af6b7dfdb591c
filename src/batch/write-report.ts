import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { PasserelleError } from '../errors.ts';
import type { BatchStore } from './store.ts';
import type { BatchItem } from './types.ts';

export type BatchReportFormat = 'csv' | 'json';

export interface WriteBatchReportOptions {
  /** Default from the path's extension (.json → json), else csv. */
  readonly format?: BatchReportFormat;
}

/** The report's columns, in order (CSV header; JSON item keys). */
export const BATCH_REPORT_COLUMNS = [
  'line',
  'key',
  'recipient',
  'state',
  'attempts',
  'messageId',
  'code',
  'message',
  'ticket',
  'sequence',
  'file',
  'updatedAt',
  'finishedAt',
] as const;

type Row = Record<(typeof BATCH_REPORT_COLUMNS)[number], string | number | null>;

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function row(item: BatchItem): Row {
  return {
    line: item.line,
    key: item.key,
    recipient: item.recipient,
    state: item.state,
    attempts: item.attempts,
    messageId: item.result?.messageId ?? null,
    code: item.state === 'done' ? null : (item.error?.code ?? null),
    message: item.state === 'done' ? null : (item.error?.message ?? null),
    ticket: item.publication?.ticket ?? null,
    sequence: item.publication?.sequence ?? null,
    file: item.publication?.document.path ?? null,
    updatedAt: iso(item.updatedAt),
    finishedAt: iso(item.finishedAt),
  };
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Writes the report of a run, streamed page by page (memory flat whatever the run's size): every
 * item in line order with its state, attempts, messageId, the coded reason of a dead letter, an
 * invalid row or the last transient fault, ticket and sequence. CSV (RFC 4180, CRLF, a header of
 * BATCH_REPORT_COLUMNS) or JSON (`{ run, counts, items: [...] }`). To a path (ERR_FILE_UNWRITABLE
 * when it cannot be written) or a stream left open. Resolves how many items were written.
 */
export async function writeBatchReport(
  store: BatchStore,
  runId: string,
  out: string | Writable,
  options: WriteBatchReportOptions = {},
): Promise<number> {
  const run = await store.getRun(runId);
  if (run === undefined) throw new TypeError(`writeBatchReport: no run ${runId}`);
  const format =
    options.format ?? (typeof out === 'string' && out.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  const stream = typeof out === 'string' ? createWriteStream(out) : out;
  const failed = new Promise<never>((_, reject) => {
    stream.once('error', (cause: Error) =>
      reject(
        new PasserelleError('ERR_FILE_UNWRITABLE', `cannot write the report ${String(out)}`, {
          details: { path: typeof out === 'string' ? out : null },
          cause,
        }),
      ),
    );
  });
  failed.catch(() => undefined);
  const body = async (): Promise<number> => {
    let n = 0;
    if (format === 'csv') {
      await write(stream, `${BATCH_REPORT_COLUMNS.join(',')}\r\n`);
      for await (const item of store.items(runId)) {
        const r = row(item);
        await write(stream, `${BATCH_REPORT_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`);
        n++;
      }
    } else {
      const counts = await store.counts(runId);
      const head = { run: { ...run, createdAt: iso(run.createdAt) }, counts };
      await write(stream, `${JSON.stringify(head).slice(0, -1)},"items":[`);
      for await (const item of store.items(runId)) {
        await write(stream, `${n === 0 ? '\n' : ',\n'}${JSON.stringify(row(item))}`);
        n++;
      }
      await write(stream, '\n]}\n');
    }
    if (typeof out === 'string') {
      stream.end();
      await once(stream, 'finish');
    }
    return n;
  };
  return Promise.race([body(), failed]);
}
