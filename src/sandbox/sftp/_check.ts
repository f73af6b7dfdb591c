import type { X509Certificate } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPasserelleError } from '../../errors.ts';
import { verifySubmissionSignature } from '../../sftp/fs-signature.ts';
import { type SubmissionKey, submissionFileName } from '../../sftp/names.ts';
import type { _Account } from './_account.ts';
import type { _ReasonCode } from './_reply.ts';

/** The verdict on a triggered submission: accepted, or the reason it is rejected. */
export type _Verdict =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly code: _ReasonCode; readonly text: string };

/** An FS larger than this is not read (a detached CMS signature is a few KiB). */
const MAX_FS_BYTES = 2 * 1024 * 1024;

const reject = (code: _ReasonCode, text: string): _Verdict => ({ accepted: false, code, text });

const SIGNATURE_REASONS: Readonly<Record<string, _ReasonCode>> = {
  ERR_SFTP_SIGNATURE_MALFORMED: 'FS_MALFORMED',
  ERR_SFTP_SIGNATURE_INVALID: 'FS_INVALID',
  ERR_SFTP_SIGNATURE_ALGORITHM: 'FS_ALGORITHM',
  ERR_SFTP_SIGNATURE_UNTRUSTED: 'FS_UNTRUSTED',
};

const regularFile = async (path: string) => (await lstat(path).catch(() => undefined))?.isFile() === true;

/**
 * Checks a submission whose GO arrived: the sender is the account's; the FI is in IN/ under its
 * final name, not being written (FI_INCOMPLETE also when only a temporary `FI….1.1.<suffix>`
 * exists); the FS, required for environment R and optional for T, verifies over the FI against
 * the partner's signing certificate alone (pinned) at `at`. Signature errors map to FS_* codes.
 */
export async function _checkSubmission(
  account: _Account,
  key: SubmissionKey,
  { signer, at }: { readonly signer: X509Certificate; readonly at: Date },
): Promise<_Verdict> {
  if (key.sender !== account.sender)
    return reject('SENDER_MISMATCH', `sender ${key.sender} is not the account's sender ${account.sender}`);
  const inDir = account.area('IN');
  const fiName = submissionFileName('FI', key);
  const fi = join(inDir, fiName);
  if (!(await regularFile(fi))) {
    const names = await readdir(inDir).catch(() => [] as string[]);
    return names.some((n) => n.startsWith(`${fiName}.`))
      ? reject('FI_INCOMPLETE', `${fiName} is still under a temporary name`)
      : reject('FI_MISSING', `${fiName} is not in IN/`);
  }
  if (account.isBeingWritten(fi)) return reject('FI_INCOMPLETE', `${fiName} is still being written`);
  const fsPath = join(inDir, submissionFileName('FS', key));
  if (!(await regularFile(fsPath))) {
    return key.environment === 'R'
      ? reject('FS_MISSING', 'a submission for the real environment needs its FS signature')
      : { accepted: true };
  }
  if (account.isBeingWritten(fsPath)) return reject('FI_INCOMPLETE', 'the FS is still being written');
  if ((await lstat(fsPath)).size > MAX_FS_BYTES)
    return reject('FS_MALFORMED', 'the FS file is too large for a signature');
  try {
    await verifySubmissionSignature(await readFile(fsPath), fi, { trust: [signer], at });
    return { accepted: true };
  } catch (error) {
    const code = isPasserelleError(error) ? SIGNATURE_REASONS[error.code] : undefined;
    if (code === undefined) throw error;
    return reject(code, (error as Error).message);
  }
}
