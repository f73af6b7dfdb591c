import { resolve } from 'node:path';
import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { checkCredentialValidity } from '../pki/credential-validity.ts';
import { _checkSame, _sha256Local, _signLocal } from './_integrity.ts';
import { _withLock } from './_lock.ts';
import { _resumePoint } from './_resume.ts';
import { _openEntry, _remoteJoin as join, UPLOAD_SUFFIX } from './_submission-entry.ts';
import type { FsDigest, FsEncoding } from './fs-signature.ts';
import { _readLedger, _writeLedger } from './ledger.ts';
import { type SubmissionKey, submissionFileName } from './names.ts';
import type { SftpSession, TransferProgress } from './session.ts';

export { UPLOAD_SUFFIX } from './_submission-entry.ts';

export interface SubmitFileOptions {
  /** The local FI file (the data). */
  readonly file: string;
  readonly app: string;
  readonly sender: string;
  readonly environment: 'R' | 'T';
  /** 5 letters or digits; default: the first free 5-digit number of the day (server IN and record). */
  readonly sequence?: string;
  /** Gives the date of the names (Europe/Brussels) and the FS signing time; default system clock. */
  readonly clock?: Clock;
  /** Remote folder; default `IN`. */
  readonly inDir?: string;
  /** Local folder of the record (`.passerelle-sftp.json`), the replies folder. */
  readonly repliesDir: string;
  /** Who signs the FS file; without it no FS is sent (accepted for environment T only by the platform). */
  readonly signer?: Credential;
  readonly signature?: { readonly encoding?: FsEncoding; readonly digest?: FsDigest };
  readonly onProgress?: (progress: TransferProgress) => void;
  readonly logger?: Logger;
}

export interface SubmitFileResult {
  readonly key: SubmissionKey;
  /** Remote paths of the files written. */
  readonly fi: string;
  readonly fs: string | undefined;
  readonly go: string;
  readonly bytes: number;
  /** SHA-256 (hex) of the FI file. */
  readonly sha256: string;
  /** Bytes that were already on the server from an interrupted run (0: uploaded from the start). */
  readonly resumedFrom: number;
  /** An interrupted upload whose remote bytes differed from the local file was deleted and redone. */
  readonly restarted: boolean;
}

/**
 * Submits a batch file: FI uploaded under `<FI name>.part`, its remote size checked against the
 * local one, renamed to the FI name; then the FS (signature of the FI by `signer`, also via a
 * `.part` name); then the empty GO, always last. An interrupted run (recorded in the local
 * record) resumes from the server's size when the remote prefix hashes like the local one, else
 * restarts from zero (`restarted`). Never writes GO for an incomplete or mismatched FI
 * (ERR_SFTP_UPLOAD_MISMATCH). A submission whose FI is already on the server is
 * ERR_SFTP_SUBMISSION_EXISTS. The record is written atomically at each step.
 *
 * Fails closed on a local file that changes during the submission: its SHA-256 is taken at the
 * start, and both the bytes uploaded (with a resumed prefix, the local prefix that was checked)
 * and the bytes the FS signs (read once, hashed on the way to the signer) must hash the same,
 * else ERR_SFTP_UPLOAD_MISMATCH (details.stage) and neither FS nor GO is written. The signer's
 * certificate is checked before anything is sent (ERR_PKI_CREDENTIAL_EXPIRED /
 * ERR_PKI_CREDENTIAL_NOT_YET_VALID at `clock`). The replies folder is locked for the whole
 * submission (`.passerelle-sftp.lock`): another process holding it is ERR_FILE_UNWRITABLE
 * (details.pid).
 */
export async function submitFile(
  session: SftpSession,
  options: SubmitFileOptions,
): Promise<SubmitFileResult> {
  const clock = options.clock ?? systemClock;
  if (options.signer) checkCredentialValidity(options.signer, { clock, role: 'signing' });
  return _withLock(options.repliesDir, clock, () => submitLocked(session, options, clock));
}

async function submitLocked(
  session: SftpSession,
  options: SubmitFileOptions,
  clock: Clock,
): Promise<SubmitFileResult> {
  const { app, sender, environment, inDir = 'IN', repliesDir, signer } = options;
  const { onProgress, logger = silentLogger } = options;
  const local = resolve(options.file);
  const start = await _sha256Local(local);
  const localSize = start.bytes;
  const ledger = await _readLedger(repliesDir);
  const now = () => new Date(clock.now()).toISOString();
  const save = () => _writeLedger(repliesDir, ledger);

  const entry = await _openEntry(session, ledger, {
    app,
    sender,
    environment,
    sequence: options.sequence,
    inDir,
    local,
    size: localSize,
    sha256: start.sha256,
    clock,
  });
  await save();
  const { key } = entry;
  if (await session.stat(entry.go))
    throw new PasserelleError(
      'ERR_SFTP_SUBMISSION_EXISTS',
      `The submission ${entry.fi} is already triggered (GO present)`,
      {
        details: { path: entry.go },
      },
    );

  let resumedFrom = 0;
  let restarted = false;
  let sha256 = entry.sha256 ?? '';
  if (entry.state === 'uploading') {
    const point = await _resumePoint(session, local, localSize, entry.temp, logger);
    ({ resumedFrom, restarted } = point);
    try {
      await session.upload(local, entry.temp, {
        resumeFrom: resumedFrom,
        hash: point.hash,
        ...(onProgress ? { onProgress } : {}),
      });
    } finally {
      entry.bytes = (await session.stat(entry.temp).catch(() => undefined))?.size ?? entry.bytes;
      entry.updatedAt = now();
      await save().catch(() => {});
    }
    sha256 = point.hash.digest('hex');
    _checkSame(local, 'uploaded', start.sha256, sha256);
    const remote = await session.stat(entry.temp);
    if (remote?.size !== localSize)
      throw new PasserelleError(
        'ERR_SFTP_UPLOAD_MISMATCH',
        `The uploaded ${entry.temp} has ${remote?.size ?? 'no'} bytes, not ${localSize}: GO not sent`,
        {
          details: { path: entry.temp, remoteSize: remote?.size ?? null, localSize },
        },
      );
    await session.rename(entry.temp, entry.fi);
    Object.assign(entry, { state: 'uploaded', sha256, bytes: localSize, updatedAt: now() });
    await save();
  } else {
    const remote = await session.stat(entry.fi);
    if (remote?.size !== localSize)
      throw new PasserelleError(
        'ERR_SFTP_UPLOAD_MISMATCH',
        `The remote ${entry.fi} has ${remote?.size ?? 'no'} bytes, not ${localSize}: GO not sent`,
        {
          details: { path: entry.fi, remoteSize: remote?.size ?? null, localSize },
        },
      );
    _checkSame(local, 'recorded', start.sha256, sha256);
  }

  let fs: string | undefined;
  if (signer) {
    fs = join(inDir, submissionFileName('FS', key));
    const signed = await _signLocal(local, {
      signer,
      signingTime: new Date(clock.now()),
      ...(options.signature?.digest ? { digest: options.signature.digest } : {}),
      ...(options.signature?.encoding ? { encoding: options.signature.encoding } : {}),
    });
    _checkSame(local, 'signed', start.sha256, signed.sha256);
    await session.writeFile(`${fs}${UPLOAD_SUFFIX}`, signed.fs);
    if (await session.stat(fs)) await session.remove(fs);
    await session.rename(`${fs}${UPLOAD_SUFFIX}`, fs);
    Object.assign(entry, { fs, updatedAt: now() });
    await save();
  }

  await session.writeEmpty(entry.go);
  Object.assign(entry, { state: 'triggered', updatedAt: now() });
  await save();
  logger.info({ fi: entry.fi, bytes: localSize, resumedFrom, restarted }, 'SFTP submission triggered');
  return { key, fi: entry.fi, fs, go: entry.go, bytes: localSize, sha256, resumedFrom, restarted };
}
