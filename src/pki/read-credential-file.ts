import { readFile } from 'node:fs/promises';
import { PasserelleError } from '../errors.ts';
import { describeFileFailure } from '../input-file.ts';

/**
 * Reads a credential file, mapping any failure to ERR_PKI_FILE_UNREADABLE (path only in the
 * message). `setting` is the flag or configuration key that named the file
 * (`--p12`, `environments.acpt.credentials.signing.p12`): the hint names it.
 */
export async function readCredentialFile(path: string, what: string, setting?: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const { errno, reason, hint } = describeFileFailure(cause, path, setting);
    throw new PasserelleError('ERR_PKI_FILE_UNREADABLE', `Cannot read the ${what} ${path}: ${reason}`, {
      hint:
        setting === undefined
          ? 'Check the path in the configuration (relative paths are resolved from the configuration file) and the file permissions.'
          : hint,
      details: { path, errno, ...(setting === undefined ? {} : { setting }) },
      cause,
    });
  }
}
