import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { _csvRecords } from './_csv.ts';
import { _jsonlRecords } from './_jsonl.ts';
import type { BatchError } from './types.ts';

export const _REQUIRED_COLUMNS = ['recipient', 'messageType', 'title', 'file'] as const;
export const _OPTIONAL_COLUMNS = ['ticket', 'sequence', 'lang', 'fileName', 'mime'] as const;
const KNOWN: ReadonlySet<string> = new Set([..._REQUIRED_COLUMNS, ..._OPTIONAL_COLUMNS]);

export type ManifestFormat = 'csv' | 'jsonl';

/** A manifest row by column name (CSV: strings; JSONL: as parsed), or why it cannot be read. */
export interface _ManifestRow {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
  readonly error?: BatchError;
}

function manifestError(path: string, message: string, details: Record<string, string | string[]>): never {
  throw new PasserelleError('ERR_EBOX_INVALID_INPUT', `manifest ${path}: ${message}`, {
    details: { field: 'manifest', origin: 'client', path, ...details },
    hint: `A manifest has the columns ${_REQUIRED_COLUMNS.join(', ')} and optionally ${_OPTIONAL_COLUMNS.join(', ')}.`,
  });
}

function rowError(line: number, message: string, field = 'manifest'): BatchError {
  return { code: 'ERR_EBOX_INVALID_INPUT', message, details: { field, line, origin: 'client' } };
}

/** The format from the option, else the extension (.csv; .jsonl, .ndjson). */
export function _manifestFormat(path: string, format: ManifestFormat | undefined): ManifestFormat {
  if (format !== undefined) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return manifestError(path, `cannot tell the format from "${ext}"`, { extension: ext });
}

/**
 * Reads a manifest row by row, streamed. CSV: the header row names the columns; a missing
 * required column or an unknown one is one ERR_EBOX_INVALID_INPUT for the whole manifest, thrown
 * before any row. JSONL: an object per line. A row that cannot be read is yielded with its error.
 */
export async function* _manifestRows(path: string, format: ManifestFormat): AsyncGenerator<_ManifestRow> {
  const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
    const code = cause.code === 'ENOENT' ? 'ERR_FILE_NOT_FOUND' : 'ERR_FILE_UNREADABLE';
    throw new PasserelleError(code, `cannot read the manifest ${path}`, { details: { path }, cause });
  });
  if (!info.isFile())
    throw new PasserelleError('ERR_FILE_UNREADABLE', `the manifest ${path} is not a file`, {
      details: { path },
    });
  const chunks = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  if (format === 'jsonl') {
    for await (const record of _jsonlRecords(chunks)) {
      if (record.error !== undefined)
        yield { line: record.line, values: {}, error: rowError(record.line, record.error) };
      else yield { line: record.line, values: record.value! };
    }
    return;
  }
  let header: string[] | undefined;
  for await (const record of _csvRecords(chunks)) {
    if (header === undefined) {
      if (record.error !== undefined) manifestError(path, `the header row: ${record.error}`, {});
      header = record.fields.map((f) => f.trim());
      const missing = _REQUIRED_COLUMNS.filter((c) => !header!.includes(c));
      if (missing.length > 0)
        manifestError(path, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, {
          missing,
        });
      const unknown = header.filter((c) => !KNOWN.has(c));
      if (unknown.length > 0) manifestError(path, `unknown column ${unknown.join(', ')}`, { unknown });
      const repeated = header.filter((c, i) => header!.indexOf(c) !== i);
      if (repeated.length > 0) manifestError(path, `repeated column ${repeated.join(', ')}`, { repeated });
      continue;
    }
    if (record.error !== undefined) {
      yield { line: record.line, values: {}, error: rowError(record.line, record.error) };
      continue;
    }
    if (record.fields.length !== header.length) {
      const message = `the row has ${record.fields.length} fields, the header ${header.length}`;
      yield { line: record.line, values: {}, error: rowError(record.line, message) };
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, i) => {
      if (record.fields[i] !== '') values[name] = record.fields[i]!;
    });
    yield { line: record.line, values };
  }
  if (header === undefined) manifestError(path, 'is empty (no header row)', {});
}
