import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { PasserelleError } from '../errors.ts';

/** What is at `path`: nothing, an empty folder, a folder with entries, or something else. */
export async function folderState(path: string): Promise<'absent' | 'empty' | 'full' | 'not-a-folder'> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (info === undefined) return 'absent';
  if (!info.isDirectory()) return 'not-a-folder';
  return (await readdir(path)).length === 0 ? 'empty' : 'full';
}

/** A new private (0700) sibling folder of `target`, where the kit is written before it takes the name. */
export async function createStagingFolder(target: string): Promise<string> {
  const staging = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(staging, { mode: 0o700 });
  } catch (cause) {
    throw new PasserelleError('ERR_FILE_UNWRITABLE', `Cannot create a folder beside ${target}`, {
      hint: 'Check that the parent folder of --out exists or can be created, and is writable by this user.',
      details: { path: target, errno: String((cause as NodeJS.ErrnoException).code ?? 'EIO') },
      cause,
    });
  }
  return staging;
}

/**
 * Gives the staging folder the target's name. An existing target (empty, or replaced under
 * --force) is first moved aside, then removed once the new folder is in place, so that the
 * target is never a half-written kit.
 */
export async function commitStagingFolder(staging: string, target: string): Promise<void> {
  const state = await folderState(target);
  if (state === 'absent') {
    await rename(staging, target);
    return;
  }
  const aside = `${staging}.old`;
  await rename(target, aside);
  try {
    await rename(staging, target);
  } catch (cause) {
    await rename(aside, target).catch(() => {});
    throw cause;
  }
  await rm(aside, { recursive: true, force: true });
}

/** Every file below `dir`, as sorted relative paths with `/` separators. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}
