import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { _firstFreeSequence, _usedSequences } from './_sequence.ts';
import { type _LedgerData, _sameKey, type LedgerSubmission } from './ledger.ts';
import { type SubmissionKey, submissionDate, submissionFileName, validateSubmissionKey } from './names.ts';
import type { SftpSession } from './session.ts';

/** The suffix of a file being uploaded: its final name plus `.part` (renamed when complete). */
export const UPLOAD_SUFFIX = '.part';

export interface _EntryRequest {
  readonly app: string;
  readonly sender: string;
  readonly environment: 'R' | 'T';
  readonly sequence: string | undefined;
  readonly inDir: string;
  /** The local FI file (absolute), its size and SHA-256 as read at the start. */
  readonly local: string;
  readonly size: number;
  readonly sha256: string;
  readonly clock: Clock;
}

/** `name` inside the remote folder `dir`. */
export const _remoteJoin = (dir: string, name: string): string =>
  dir === '' || dir === '.' ? name : `${dir.replace(/\/+$/, '')}/${name}`;

/**
 * The record entry of a submission: an unfinished one of the same local file (same path and
 * size; once uploaded, the same SHA-256 too) is continued; otherwise a new one is made with
 * `sequence` or the first free sequence of the day, refused (ERR_SFTP_SUBMISSION_EXISTS) when its
 * FI, `.part` or GO is on the server already, and added to `ledger` (the caller saves it).
 */
export async function _openEntry(
  session: SftpSession,
  ledger: _LedgerData,
  r: _EntryRequest,
): Promise<LedgerSubmission> {
  const pending = ledger.submissions.find(
    (s) =>
      (s.state === 'uploading' || (s.state === 'uploaded' && s.sha256 === r.sha256)) &&
      s.local === r.local &&
      s.size === r.size &&
      s.key.app === r.app &&
      s.key.sender === r.sender &&
      s.key.environment === r.environment &&
      (r.sequence === undefined || s.key.sequence === r.sequence),
  );
  if (pending) return pending;
  const date = submissionDate(new Date(r.clock.now()));
  const sequence =
    r.sequence ?? _firstFreeSequence(await _usedSequences(session, r.inDir, ledger, date), date);
  const key: SubmissionKey = { app: r.app, sender: r.sender, date, sequence, environment: r.environment };
  validateSubmissionKey(key);
  const fi = _remoteJoin(r.inDir, submissionFileName('FI', key));
  const go = _remoteJoin(r.inDir, submissionFileName('GO', key));
  for (const path of [fi, go, `${fi}${UPLOAD_SUFFIX}`])
    if (await session.stat(path))
      throw new PasserelleError(
        'ERR_SFTP_SUBMISSION_EXISTS',
        `The submission ${submissionFileName('FI', key)} is already on the server`,
        { details: { path, sequence } },
      );
  const entry: LedgerSubmission = {
    key,
    fi,
    temp: `${fi}${UPLOAD_SUFFIX}`,
    go,
    local: r.local,
    size: r.size,
    state: 'uploading',
    bytes: 0,
    updatedAt: new Date(r.clock.now()).toISOString(),
  };
  ledger.submissions = ledger.submissions.filter((s) => !_sameKey(s.key, key));
  ledger.submissions.push(entry);
  return entry;
}
