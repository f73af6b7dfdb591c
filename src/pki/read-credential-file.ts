import { readFile } from 'node:fs/promises';
import { PasserelleError } from '../errors.ts';

/** Reads a credential file, mapping any failure to ERR_PKI_FILE_UNREADABLE (path only in the message). */
export async function readCredentialFile(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? 'EIO';
    const reason =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code;
    throw new PasserelleError('ERR_PKI_FILE_UNREADABLE', `Cannot read the ${what} ${path}: ${reason}`, {
      hint: 'Check the path in the configuration (relative paths are resolved from the configuration file) and the file permissions.',
      details: { path, errno: code },
      cause,
    });
  }
}
