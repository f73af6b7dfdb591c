import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PasserelleError } from '../errors.ts';
import { inputFileError } from '../input-file.ts';
import { type SignSubmissionOptions, signSubmissionFile } from './fs-signature.ts';

const READ_SIZE = 1024 * 1024;

async function* teed(path: string, hash: ReturnType<typeof createHash>, counted: { bytes: number }) {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_SIZE })) {
      hash.update(chunk as Buffer);
      counted.bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (cause) {
    if (!(cause as NodeJS.ErrnoException)?.code) throw cause;
    throw inputFileError(cause, path, { what: 'submission file' });
  }
}

/** SHA-256 (hex) and size of the local file as it is now, read once from start to end. */
export async function _sha256Local(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const counted = { bytes: 0 };
  for await (const _ of teed(path, hash, counted));
  return { sha256: hash.digest('hex'), bytes: counted.bytes };
}

/**
 * Signs the FI file reading it once: the bytes the signature covers go through a SHA-256 on
 * their way to the signer, so the caller can check that they are the bytes uploaded.
 */
export async function _signLocal(
  path: string,
  options: SignSubmissionOptions,
): Promise<{ fs: Buffer; sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const counted = { bytes: 0 };
  const fs = await signSubmissionFile(teed(path, hash, counted), options);
  return { fs, sha256: hash.digest('hex'), bytes: counted.bytes };
}

/**
 * Fails closed when two views of the FI differ (SHA-256 at the start, of the bytes uploaded, of
 * the bytes signed): the local file changed during the submission. ERR_SFTP_UPLOAD_MISMATCH,
 * details.stage names the view that differs; no FS and no GO are written after it.
 */
export function _checkSame(
  local: string,
  stage: 'uploaded' | 'signed' | 'recorded',
  expected: string,
  actual: string,
): void {
  if (expected === actual) return;
  const what = {
    uploaded: 'the bytes uploaded are not',
    signed: 'the bytes read for the FS signature are not',
    recorded: 'the FI already on the server (per the record) is not',
  }[stage];
  throw new PasserelleError(
    'ERR_SFTP_UPLOAD_MISMATCH',
    `${local} changed during the submission: ${what} the file read at the start; no FS, no GO sent`,
    {
      hint: 'Let whatever writes the file finish, then submit again (a new sequence number, or cancel the pending one).',
      details: { path: local, stage, expected, actual },
    },
  );
}
