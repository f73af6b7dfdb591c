import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PasserelleError } from '../errors.ts';
import { writeSecretFile } from '../secret-file.ts';
import type { SubmissionKey } from './names.ts';

/** The local record's file name, in the replies folder. */
export const LEDGER_FILE = '.passerelle-sftp.json';

export type SubmissionState = 'uploading' | 'uploaded' | 'triggered' | 'cancelled';

/** One submission as the local record keeps it. */
export interface LedgerSubmission {
  readonly key: SubmissionKey;
  /** Final FI name; `temp` the name it is uploaded under. */
  readonly fi: string;
  readonly temp: string;
  readonly fs?: string | undefined;
  readonly go: string;
  readonly td?: string | undefined;
  /** The local FI file (absolute) and its size, to recognise a resumed submission. */
  readonly local: string;
  readonly size: number;
  readonly sha256?: string | undefined;
  state: SubmissionState;
  /** Bytes of the FI known to be on the server. */
  bytes: number;
  updatedAt: string;
}

/** One fetched reply. */
export interface LedgerReply {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly fetchedAt: string;
  /** The FI name of the submission it answers, when known. */
  readonly submission?: string | undefined;
}

export interface _LedgerData {
  version: 1;
  submissions: LedgerSubmission[];
  replies: LedgerReply[];
}

/** Reads the record of `dir` (an empty one when there is none). */
export async function _readLedger(dir: string): Promise<_LedgerData> {
  const path = join(dir, LEDGER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT')
      return { version: 1, submissions: [], replies: [] };
    throw new PasserelleError('ERR_FILE_UNREADABLE', `Cannot read the SFTP record ${path}`, {
      details: { path, errno: (cause as NodeJS.ErrnoException).code ?? null },
      cause,
    });
  }
  try {
    const data = JSON.parse(text) as _LedgerData;
    if (data.version !== 1 || !Array.isArray(data.submissions) || !Array.isArray(data.replies))
      throw new Error('unexpected shape');
    return data;
  } catch (cause) {
    throw new PasserelleError('ERR_FILE_UNREADABLE', `The SFTP record ${path} is damaged`, {
      hint: 'Move it aside: replies already fetched are recognised by their files, submissions by the server.',
      details: { path },
      cause,
    });
  }
}

/** Saves the record of `dir` atomically (creating the folder). */
export async function _writeLedger(dir: string, data: _LedgerData): Promise<void> {
  await writeSecretFile(join(dir, LEDGER_FILE), `${JSON.stringify(data, null, 2)}\n`);
}

/** Whether two keys name the same submission. */
export const _sameKey = (a: SubmissionKey, b: SubmissionKey): boolean =>
  a.app === b.app &&
  a.sender === b.sender &&
  a.date === b.date &&
  a.sequence === b.sequence &&
  a.environment === b.environment;
