import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { _withLock } from './_lock.ts';
import { _readLedger, _sameKey, _writeLedger } from './ledger.ts';
import { parseSubmissionFileName, type SubmissionKey, submissionFileName } from './names.ts';
import type { SftpSession } from './session.ts';

export interface CancelSubmissionOptions {
  /** Remote folder; default `IN`. */
  readonly inDir?: string;
  /** When given, the submission is marked cancelled in the record of this folder. */
  readonly repliesDir?: string;
  readonly clock?: Clock;
}

export interface CancelSubmissionResult {
  readonly key: SubmissionKey;
  /** Remote path of the TD file written. */
  readonly td: string;
}

/**
 * Cancels a submission named by any of its file names (FI, FS, GO, or a bare base name): writes
 * the empty `TD` file, only while its `GO` is still on the server, i.e. not yet picked up.
 * Otherwise ERR_SFTP_CANCEL_REFUSED (details.reason); ERR_SFTP_NAME_INVALID for a bad name. The
 * platform may still pick the GO up between the check and the TD: its reply says which won.
 * With `repliesDir`, its lock is held throughout (another process: ERR_FILE_UNWRITABLE).
 */
export async function cancelSubmission(
  session: SftpSession,
  name: string,
  options: CancelSubmissionOptions = {},
): Promise<CancelSubmissionResult> {
  const { repliesDir, clock = systemClock } = options;
  return repliesDir === undefined
    ? cancelLocked(session, name, options)
    : _withLock(repliesDir, clock, () => cancelLocked(session, name, options));
}

async function cancelLocked(
  session: SftpSession,
  name: string,
  { inDir = 'IN', repliesDir, clock = systemClock }: CancelSubmissionOptions,
): Promise<CancelSubmissionResult> {
  const { key } = parseSubmissionFileName(name.slice(name.lastIndexOf('/') + 1).replace(/\.part$/, ''));
  const path = (n: string) => (inDir === '' || inDir === '.' ? n : `${inDir.replace(/\/+$/, '')}/${n}`);
  const go = path(submissionFileName('GO', key));
  const td = path(submissionFileName('TD', key));
  const refuse = (reason: string, message: string) =>
    new PasserelleError('ERR_SFTP_CANCEL_REFUSED', message, { details: { go, reason } });
  if (!(await session.stat(go)))
    throw refuse(
      'no-go',
      `Cannot cancel ${submissionFileName('FI', key)}: no GO on the server (already picked up, or never triggered)`,
    );
  if (await session.stat(td))
    throw refuse('already-cancelled', `${submissionFileName('FI', key)} is already cancelled`);
  await session.writeEmpty(td);
  if (repliesDir !== undefined) {
    const ledger = await _readLedger(repliesDir);
    const entry = ledger.submissions.find((s) => _sameKey(s.key, key));
    if (entry) {
      Object.assign(entry, { state: 'cancelled', td, updatedAt: new Date(clock.now()).toISOString() });
      await _writeLedger(repliesDir, ledger);
    }
  }
  return { key, td };
}
