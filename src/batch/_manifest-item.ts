import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import type { EboxLanguage, EboxPublication } from '../services/ebox/publication.ts';
import { validatePublication } from '../services/ebox/validate-publication.ts';
import { _batchError } from './_error.ts';
import type { _ManifestRow } from './_manifest-rows.ts';
import type { BatchItemSpec } from './types.ts';

export interface _ItemOptions {
  readonly baseDir: string;
  readonly transport: 'soap' | 'rest';
  readonly defaultLang: EboxLanguage;
  readonly senderApplication: string | undefined;
  readonly senderInstitution: string | undefined;
  readonly maxFileBytes: number;
  readonly keyNamespace: string;
}

const PROVISIONAL_TICKET = 'P000000000000000000000000';

function field(line: number, name: string, reason: string): never {
  throw new PasserelleError('ERR_EBOX_INVALID_INPUT', `line ${line}: ${name} ${reason}`, {
    details: { field: name, line, origin: 'client' },
  });
}

function str(row: _ManifestRow, name: string): string | undefined {
  const value = row.values[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return field(row.line, name, 'must be a string');
  return value;
}

function sequenceOf(row: _ManifestRow): number | undefined {
  const value = row.values['sequence'];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,5}$/.test(value)) return Number(value);
  return field(row.line, 'sequence', 'must be an integer from 0 to 99999');
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Exists, is a regular file, not empty, not too large, readable to the end: its SHA-256. */
async function checkFile(line: number, path: string, maxBytes: number): Promise<string> {
  const info = await stat(path).catch((cause: NodeJS.ErrnoException) => {
    const code = cause.code === 'ENOENT' ? 'ERR_FILE_NOT_FOUND' : 'ERR_FILE_UNREADABLE';
    throw new PasserelleError(code, `line ${line}: cannot find the file ${path}`, {
      details: { field: 'file', line, path },
      cause,
    });
  });
  if (!info.isFile())
    throw new PasserelleError('ERR_FILE_UNREADABLE', `line ${line}: ${path} is not a file`, {
      details: { field: 'file', line, path },
    });
  if (info.size === 0) field(line, 'file', `${path} is empty (0 bytes)`);
  if (info.size > maxBytes) field(line, 'file', `${path} has ${info.size} bytes, more than ${maxBytes}`);
  return sha256(path).catch((cause: unknown) => {
    throw new PasserelleError('ERR_FILE_UNREADABLE', `line ${line}: cannot read the file ${path}`, {
      details: { field: 'file', line, path },
      cause,
    });
  });
}

/**
 * A manifest row checked and turned into a run item. The ticket: the row's, else derived from
 * what the row publishes — `P` + 24 hex of SHA-256(namespace, recipient, message type, language,
 * title, file name, MIME type, SHA-256 of the file's bytes). So the same document for the same
 * citizen always gets the same ticket (a retry, a resume or a re-run of the manifest replaces it,
 * never duplicates it), and an identical row is a duplicate. The item key is `T:<ticket>#<seq>`:
 * the platform's own identity of a publication (per sender, ticket and sequence).
 */
export async function _manifestItem(row: _ManifestRow, options: _ItemOptions): Promise<BatchItemSpec> {
  const { line } = row;
  const recipient = typeof row.values['recipient'] === 'string' ? (row.values['recipient'] as string) : '';
  const fallbackKey = `L:${line}`;
  if (row.error !== undefined) return { key: fallbackKey, line, recipient, error: row.error };
  try {
    for (const name of ['recipient', 'messageType', 'title', 'file'])
      if (str(row, name) === undefined || str(row, name)!.trim() === '') field(line, name, 'is missing');
    const ticket = str(row, 'ticket');
    const sequence = sequenceOf(row);
    if (sequence !== undefined && ticket === undefined) field(line, 'sequence', 'is given without a ticket');
    const path = resolve(options.baseDir, str(row, 'file')!);
    const fileName = str(row, 'fileName');
    const mime = str(row, 'mime');
    const draft: EboxPublication = {
      recipient: str(row, 'recipient')!,
      messageType: str(row, 'messageType')!,
      subject: { lang: (str(row, 'lang') ?? options.defaultLang) as EboxLanguage, text: str(row, 'title')! },
      document: {
        path,
        ...(fileName === undefined ? {} : { fileName }),
        ...(mime === undefined ? {} : { mime }),
      },
      ticket: ticket ?? PROVISIONAL_TICKET,
      ...(sequence === undefined ? {} : { sequence }),
      ...(options.senderApplication === undefined ? {} : { senderApplication: options.senderApplication }),
      ...(options.senderInstitution === undefined ? {} : { senderInstitution: options.senderInstitution }),
    };
    const valid = validatePublication(draft, { transport: options.transport });
    const digest = await checkFile(line, path, options.maxFileBytes);
    const derived =
      ticket ??
      `P${createHash('sha256')
        .update(
          JSON.stringify([
            options.keyNamespace,
            valid.recipient,
            valid.messageType,
            valid.subject.lang,
            valid.subject.text,
            valid.document.fileName,
            valid.document.mime,
            digest,
          ]),
        )
        .digest('hex')
        .slice(0, 24)
        .toUpperCase()}`;
    const publication: EboxPublication = { ...draft, recipient: valid.recipient, ticket: derived };
    return { key: `T:${derived}#${sequence ?? ''}`, line, recipient: valid.recipient, publication };
  } catch (error) {
    const known = isPasserelleError(error) && typeof error.details['field'] === 'string';
    const where: Record<string, string | number> = known
      ? { line }
      : { line, field: isPasserelleError(error, 'ERR_IDS_INSS_INVALID') ? 'recipient' : 'manifest' };
    return { key: fallbackKey, line, recipient, error: _batchError(error, where) };
  }
}
