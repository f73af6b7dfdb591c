import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PasserelleError } from '../errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<stateDir>/sandbox.lock` so that two sandboxes never share a state directory (they
 * would overwrite each other's sandbox.json). A lock left by a dead process is taken over.
 * Returns the release function.
 */
export function lockStateDir(path: string): () => void {
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, token, { flag: 'wx', mode: 0o644 });
      return () => {
        try {
          if (readFileSync(path, 'utf8') === token) rmSync(path, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new PasserelleError('ERR_SANDBOX_STATE', `Cannot create the sandbox lock file ${path}`, {
          hint: 'Check that the state directory is writable by this user.',
          details: { path },
          cause: error,
        });
      }
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(readFileSync(path, 'utf8').split(':')[0] ?? '', 10);
      } catch {
        // unreadable: treat as stale
      }
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new PasserelleError(
          'ERR_SANDBOX_START',
          `Another sandbox (pid ${holder}) is running on this state directory`,
          {
            hint: 'Stop it first, or give this one another --state-dir.',
            details: { path, pid: holder },
          },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new PasserelleError('ERR_SANDBOX_START', `Cannot take the sandbox lock ${path}`, {
    details: { path },
  });
}
