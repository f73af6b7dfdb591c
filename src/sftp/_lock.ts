import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';

/** The lock file's name, next to the record in the replies folder. */
export const LOCK_FILE = '.passerelle-sftp.lock';

interface LockContent {
  readonly pid: number;
  readonly hostname: string;
  readonly token: string;
  readonly since: string;
}

/** A held lock: `release` removes it (once). */
export interface _Lock {
  readonly path: string;
  release(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const parse = (text: string): LockContent | undefined => {
  try {
    const c = JSON.parse(text) as LockContent;
    return Number.isSafeInteger(c.pid) && c.pid > 0 && typeof c.token === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
};

const unwritable = (path: string, cause: unknown) =>
  new PasserelleError('ERR_FILE_UNWRITABLE', `Cannot create the SFTP lock ${path}`, {
    details: { path, errno: (cause as NodeJS.ErrnoException).code ?? null },
    cause,
  });

const held = (path: string, holder: LockContent | undefined) =>
  new PasserelleError(
    'ERR_FILE_UNWRITABLE',
    `Another passerelle sftp process${holder ? ` (pid ${holder.pid} on ${holder.hostname})` : ''} holds the lock ${path}`,
    {
      hint: holder
        ? 'Another passerelle sftp process is working on this replies folder: wait for it to finish. If no such process runs any more, remove the lock file.'
        : 'The lock file is not readable as a passerelle lock: if no passerelle sftp process runs on this replies folder, remove it.',
      details: { path, pid: holder?.pid ?? null, hostname: holder?.hostname ?? null },
    },
  );

/**
 * Takes the exclusive lock of a replies folder (`.passerelle-sftp.lock`, holding the pid), so
 * that one process at a time reads and writes its record. The lock is created complete and
 * exclusively (written under a unique name, then hard-linked to the lock name, which fails when
 * it exists). A lock left by a dead process of this host is taken over: renamed away, checked to
 * be the very lock that was judged stale (its token), then removed. A live holder, a holder on
 * another host (its pid cannot be checked) or an unreadable lock: ERR_FILE_UNWRITABLE
 * (details.pid, a hint); nothing waits.
 */
export async function _acquireLock(dir: string, clock: Clock): Promise<_Lock> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const mine: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    token: randomBytes(12).toString('hex'),
    since: new Date(clock.now()).toISOString(),
  };
  const temp = join(dir, `${LOCK_FILE}.${mine.token}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o644 });
  } catch (cause) {
    throw unwritable(path, cause);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temp, path);
        break;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(path, cause);
      }
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue; // released meanwhile: try again
      const holder = parse(text);
      if (!holder || holder.hostname !== mine.hostname || alive(holder.pid) || attempt >= 3)
        throw held(path, holder);
      await takeOver(path, holder);
    }
  } finally {
    await unlink(temp).catch(() => {});
  }
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text !== undefined && parse(text)?.token === mine.token) await unlink(path).catch(() => {});
    },
  };
}

/** Moves a stale lock away; puts it back when it turns out to be another, fresh one. */
async function takeOver(path: string, stale: LockContent): Promise<void> {
  const aside = `${path}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone meanwhile: try again
  }
  const text = await readFile(aside, 'utf8').catch(() => '');
  if (parse(text)?.token !== stale.token) await link(aside, path).catch(() => {});
  await unlink(aside).catch(() => {});
}

/** Runs `fn` holding the lock of `dir`; the lock is released whatever the outcome. */
export async function _withLock<T>(dir: string, clock: Clock, fn: () => Promise<T>): Promise<T> {
  const lock = await _acquireLock(dir, clock);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
