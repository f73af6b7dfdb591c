import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { type ErrorCode, PasserelleError } from './errors.ts';

export interface InputFileOptions {
  /** What the file is, for the message: "file to upload", "trust file". */
  readonly what: string;
  /**
   * The flag, argument or configuration key that named the file, for the hint: `--file`,
   * `environments.acpt.trust.sts`. Relative paths of a configuration key (`environments.` or
   * `defaults.`) resolve from the configuration file's directory, the others from the current one.
   */
  readonly setting?: string | undefined;
}

/** Why a file could not be read, from a Node file-system error: the errno code, a reason, a hint. */
export interface FileFailure {
  readonly errno: string;
  readonly missing: boolean;
  readonly reason: string;
  readonly hint: string;
}

/** Explains a failed read of `path` (ENOENT, EISDIR, EACCES, ...) without Node's own message. */
export function describeFileFailure(cause: unknown, path: string, setting?: string): FileFailure {
  const errno = String((cause as NodeJS.ErrnoException)?.code ?? 'EIO');
  const missing = errno === 'ENOENT' || errno === 'ENOTDIR';
  const reason = missing
    ? 'it does not exist'
    : errno === 'EISDIR'
      ? 'it is a directory'
      : errno === 'EACCES' || errno === 'EPERM'
        ? 'permission denied'
        : `it cannot be read (${errno})`;
  const from = /^(?:environments|defaults)\./.test(setting ?? '')
    ? "the configuration file's directory"
    : 'the current directory';
  const hint =
    setting === undefined
      ? missing
        ? 'Check the path: relative paths resolve from the current directory.'
        : 'Name a regular file (not a directory) that this user may read.'
      : missing
        ? `Check the path given by ${setting} (relative paths resolve from ${from}).`
        : errno === 'EISDIR'
          ? `${setting} must name a file, not a directory.`
          : `Make ${path} readable by this user, or name another file with ${setting}.`;
  return { errno, missing, reason, hint };
}

/** ERR_FILE_NOT_FOUND (missing) or ERR_FILE_UNREADABLE (directory, permission, ...), path in message and details. */
export function inputFileError(cause: unknown, path: string, options: InputFileOptions): PasserelleError {
  const failure = describeFileFailure(cause, path, options.setting);
  const code: ErrorCode = failure.missing ? 'ERR_FILE_NOT_FOUND' : 'ERR_FILE_UNREADABLE';
  return new PasserelleError(code, `Cannot read the ${options.what} ${path}: ${failure.reason}`, {
    hint: failure.hint,
    details: {
      path,
      errno: failure.errno,
      ...(options.setting === undefined ? {} : { setting: options.setting }),
    },
    cause,
  });
}

/** Reads a file the user named; failures are ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE. */
export async function readInputFile(path: string, options: InputFileOptions): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw inputFileError(cause, path, options);
  }
}

/**
 * Checks that a file the user named (and that is read later, as a stream) exists, is a regular
 * file and is readable; returns its size. Failures are ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE.
 */
export async function checkInputFile(path: string, options: InputFileOptions): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
    if (info.isFile()) await access(path, constants.R_OK);
  } catch (cause) {
    throw inputFileError(cause, path, options);
  }
  if (info.isDirectory()) {
    throw inputFileError(Object.assign(new Error('directory'), { code: 'EISDIR' }), path, options);
  }
  if (!info.isFile()) {
    throw inputFileError(Object.assign(new Error('not a file'), { code: 'EINVAL' }), path, options);
  }
  return info.size;
}
