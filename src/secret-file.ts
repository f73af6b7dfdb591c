import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PasserelleError } from './errors.ts';

/**
 * The one way Passerelle writes a secret (private key, keystore, password, token, the STS
 * assertion cache): the bytes go to a new temp file in the target's directory, created 0600
 * (O_EXCL, never readable by others, not even for an instant), fsynced, then renamed over the
 * target, so a reader sees the old file or the new one, never a torn or world-readable one, and
 * an existing target of another mode (or a symlink) is replaced by the 0600 file. On any failure
 * the temp file is removed and ERR_FILE_UNWRITABLE is thrown (the path and errno code, never
 * the data). A missing directory is created 0700. `setting` names the flag or configuration key
 * that gave the path (`--token-file`), for the hint.
 */
export async function writeSecretFile(
  path: string,
  data: string | Uint8Array,
  { setting }: { readonly setting?: string } = {},
): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  let created = false;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    handle = await open(tmp, 'wx', 0o600);
    created = true;
    await handle.chmod(0o600); // exactly 0600, whatever the umask
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (cause) {
    await handle?.close().catch(() => {});
    if (created) await rm(tmp, { force: true }).catch(() => {});
    const errno = (cause as NodeJS.ErrnoException)?.code;
    throw new PasserelleError('ERR_FILE_UNWRITABLE', `Cannot write ${path}`, {
      hint: `Check that the directory${setting === undefined ? '' : ` of ${setting}`} is writable by this user, and that the path is not a directory.`,
      details: {
        path,
        ...(typeof errno === 'string' ? { errno } : {}),
        ...(setting === undefined ? {} : { setting }),
      },
      cause,
    });
  }
  await _syncDir(dir);
}

/** Makes the rename durable; some platforms cannot open or fsync a directory, which is not an error. */
async function _syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => {});
  }
}
