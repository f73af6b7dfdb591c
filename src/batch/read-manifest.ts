import { dirname, resolve } from 'node:path';
import type { EboxLanguage } from '../services/ebox/publication.ts';
import { _manifestItem } from './_manifest-item.ts';
import { _manifestFormat, _manifestRows, type ManifestFormat } from './_manifest-rows.ts';
import type { BatchItemSpec } from './types.ts';

export type { ManifestFormat } from './_manifest-rows.ts';

export interface ReadManifestOptions {
  /** Default from the extension: .csv, .jsonl or .ndjson. */
  readonly format?: ManifestFormat;
  /** Which client will publish (SOAP needs a ticket: one is derived when the row has none); default soap. */
  readonly transport?: 'soap' | 'rest';
  /** The subject's language when the row has no `lang`; default fr. */
  readonly defaultLang?: EboxLanguage;
  readonly senderApplication?: string;
  readonly senderInstitution?: string;
  /** Largest document, bytes; default 1 GiB. */
  readonly maxFileBytes?: number;
  /**
   * Mixed into derived tickets; default ''. Change it only to publish again, as new messages,
   * documents identical to ones already published (same citizen, title, file bytes...).
   */
  readonly keyNamespace?: string;
  /** Rows whose files are checked at the same time; default 8. */
  readonly readAhead?: number;
}

/**
 * Reads and validates a manifest, streamed (CSV per RFC 4180 with a header row, or JSON Lines):
 * one run item per row, in line order, each either ready to publish or `invalid` with a coded
 * reason and its line (ERR_IDS_INSS_INVALID, ERR_EBOX_INVALID_INPUT with details.field,
 * ERR_FILE_NOT_FOUND, ERR_FILE_UNREADABLE, ERR_EBOX_DUPLICATE for a row repeating an earlier
 * one's ticket+sequence or, without a ticket, the same publication — details.firstLine names
 * it). Relative file paths resolve from the manifest's directory; every file is opened and read
 * to the end (0 bytes or more than maxFileBytes: ERR_EBOX_INVALID_INPUT, field `file`). A manifest
 * that cannot be read, has no header, or lacks a required column throws before the first row
 * (ERR_FILE_*, ERR_EBOX_INVALID_INPUT with details.field `manifest` and details.missing).
 *
 * Idempotency — what makes a retried, resumed or re-run item replace and never duplicate: each
 * ready item carries the platform's own identity of a publication, ticket+sequence (SOAP: the
 * same sender, ticket and sequence replaces the message; REST: the client derives the
 * Idempotency-Key from application, ticket and sequence). The row's ticket (and sequence) when
 * given; otherwise a ticket derived from what the row publishes, never from the run or the line:
 * `P` + 24 hex of SHA-256(keyNamespace, recipient, message type, language, title, file name,
 * MIME type, SHA-256 of the file's bytes). It is stored with the item when the run is created, so
 * every retry and resume sends the same one; a re-run of the same manifest (or of a reordered one)
 * derives the same tickets again. The item key is `T:<ticket>#<sequence>`; a bad row's `L:<line>`.
 *
 * Memory: one row per read-ahead slot, plus the keys seen so far for duplicate detection (about
 * 100 bytes a row).
 */
export async function* readManifest(
  path: string,
  options: ReadManifestOptions = {},
): AsyncGenerator<BatchItemSpec> {
  const {
    transport = 'soap',
    defaultLang = 'fr',
    maxFileBytes = 1024 * 1024 * 1024,
    keyNamespace = '',
    readAhead = 8,
  } = options;
  if (transport !== 'soap' && transport !== 'rest')
    throw new TypeError('readManifest: transport is soap or rest');
  if (!Number.isInteger(readAhead) || readAhead < 1)
    throw new TypeError('readManifest: readAhead must be ≥ 1');
  const manifest = resolve(path);
  const format = _manifestFormat(manifest, options.format);
  const itemOptions = {
    baseDir: dirname(manifest),
    transport,
    defaultLang,
    senderApplication: options.senderApplication,
    senderInstitution: options.senderInstitution,
    maxFileBytes,
    keyNamespace,
  };
  const seen = new Map<string, number>();
  const pending: Promise<BatchItemSpec>[] = [];
  const settle = (spec: BatchItemSpec): BatchItemSpec => {
    if (spec.error !== undefined) return spec;
    const first = seen.get(spec.key);
    if (first === undefined) {
      seen.set(spec.key, spec.line);
      return spec;
    }
    const { publication } = spec;
    const what =
      publication?.sequence === undefined
        ? `ticket ${publication?.ticket}`
        : `ticket ${publication.ticket} sequence ${publication.sequence}`;
    return {
      key: `L:${spec.line}`,
      line: spec.line,
      recipient: spec.recipient,
      error: {
        code: 'ERR_EBOX_DUPLICATE',
        message: `line ${spec.line} repeats line ${first} (${what})`,
        details: { field: 'ticket', line: spec.line, firstLine: first, origin: 'client' },
      },
    };
  };
  for await (const row of _manifestRows(manifest, format)) {
    pending.push(_manifestItem(row, itemOptions));
    if (pending.length >= readAhead) yield settle(await pending.shift()!);
  }
  while (pending.length > 0) yield settle(await pending.shift()!);
}
