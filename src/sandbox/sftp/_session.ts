import type { SFTPWrapper } from 'ssh2';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import type { _Account } from './_account.ts';
import { _close, _fsetstat, _fstat, _open, _read, _write } from './_file-ops.ts';
import { _HandleTable } from './_handles.ts';
import {
  _noFolders,
  _noLinks,
  _opendir,
  _readdir,
  _realpath,
  _remove,
  _rename,
  _setstat,
  _stat,
} from './_name-ops.ts';
import { type _Resolved, _resolvePath } from './_paths.ts';
import { _Refusal, _status } from './_refusal.ts';
import type { _SftpStats } from './_stats.ts';

/** Bounds of one SFTP session and of an account. */
export interface _SftpLimits {
  /** Bytes IN/ may hold, files being written included. */
  readonly quotaBytes: number;
  /** Open handles per session. */
  readonly maxHandles: number;
  /** Requests in progress, or replies the client has not taken, per session; beyond: disconnected. */
  readonly maxOutstanding: number;
  /** Longest client path, bytes. */
  readonly maxPathLength: number;
}

/** What an SFTP operation works with. */
export interface _Session {
  readonly sftp: SFTPWrapper;
  readonly account: _Account;
  readonly handles: _HandleTable;
  readonly limits: _SftpLimits;
  readonly stats: _SftpStats;
  readonly log: Logger;
  readonly clock: Clock;
  resolve(path: string): _Resolved;
  /** Tells the submission processor a file of IN/ was written or renamed to `name`. */
  onWritten(name: string): void;
}

/** One SFTP request handler: answers `id` itself, or throws a _Refusal (or an fs error). */
export type _Op<A extends unknown[]> = (s: _Session, id: number, ...args: A) => Promise<void>;

export interface _ServeOptions {
  readonly account: _Account;
  readonly limits: _SftpLimits;
  readonly stats: _SftpStats;
  readonly log: Logger;
  readonly clock: Clock;
  readonly onWritten: (account: _Account, name: string) => void;
  /** Ends the client's connection (a flood). */
  readonly disconnect: () => void;
}

/** Replies ssh2 queued because the client does not open its window (it does not read them). */
const queuedReplies = (sftp: SFTPWrapper): number =>
  (sftp as unknown as { _buffer?: readonly unknown[] })._buffer?.length ?? 0;

/** A client path as logged: printable, at most 200 characters. */
const shown = (path: string) => [...path.slice(0, 200)].map((c) => (c < ' ' ? '?' : c)).join('');

/**
 * Serves one SFTP subsystem channel for `account`: each request type dispatched to its
 * operation, every refusal answered with its SFTP status and logged with the account, the path
 * and the reason code. A client with more than `maxOutstanding` requests in progress or replies
 * unread is disconnected (reason `flood`). Handles are closed when the channel ends.
 */
export function _serveSftp(sftp: SFTPWrapper, o: _ServeOptions): void {
  const { account, limits, stats, log } = o;
  const handles = new _HandleTable(limits.maxHandles);
  const s: _Session = {
    sftp,
    account,
    handles,
    limits,
    stats,
    log,
    clock: o.clock,
    resolve: (path) => _resolvePath(account.root, path, limits.maxPathLength),
    onWritten: (name) => o.onWritten(account, name),
  };
  let outstanding = 0;
  let dropped = false;

  const run =
    <A extends unknown[]>(op: string, fn: _Op<A>, describe: (...a: A) => string) =>
    (id: number, ...args: A): void => {
      if (dropped) return;
      outstanding += 1;
      if (outstanding > limits.maxOutstanding || queuedReplies(sftp) > limits.maxOutstanding) {
        dropped = true;
        stats.bump('refusals');
        stats.bump('refusals.flood');
        log.warn(
          { account: account.user, op, reason: 'flood', outstanding },
          'SFTP client flooding: disconnected',
        );
        o.disconnect();
        return;
      }
      fn(s, id, ...args)
        .catch((error: unknown) => {
          const refusal = error instanceof _Refusal ? error : undefined;
          const fields = { account: account.user, op, path: describe(...args) };
          if (refusal === undefined) {
            log.warn(
              { ...fields, reason: (error as NodeJS.ErrnoException).code ?? 'error' },
              'SFTP request failed',
            );
          } else if (refusal.status !== 'EOF' && refusal.reason !== 'not-found') {
            stats.bump('refusals');
            stats.bump(`refusals.${refusal.reason}`);
            log.warn({ ...fields, reason: refusal.reason }, 'SFTP request refused');
          }
          try {
            sftp.status(id, _status(refusal?.status ?? 'FAILURE'), refusal?.message ?? 'failure');
          } catch {
            // the channel is gone
          }
        })
        .finally(() => {
          outstanding -= 1;
        });
    };
  const byPath = (p: string) => shown(p);
  const byHandle = (h: Buffer) => {
    try {
      return handles.get(h).path.virtual;
    } catch {
      return '(no handle)';
    }
  };

  sftp.on('OPEN', run('OPEN', _open, byPath));
  sftp.on('READ', run('READ', _read, byHandle));
  sftp.on('WRITE', run('WRITE', _write, byHandle));
  sftp.on('FSTAT', run('FSTAT', _fstat, byHandle));
  sftp.on('FSETSTAT', run('FSETSTAT', _fsetstat, byHandle));
  sftp.on('CLOSE', run('CLOSE', _close, byHandle));
  sftp.on('OPENDIR', run('OPENDIR', _opendir, byPath));
  sftp.on('READDIR', run('READDIR', _readdir, byHandle));
  sftp.on('LSTAT', run('LSTAT', _stat, byPath));
  sftp.on('STAT', run('STAT', _stat, byPath));
  sftp.on('REMOVE', run('REMOVE', _remove, byPath));
  sftp.on(
    'RENAME',
    run('RENAME', _rename, (a: string, b: string) => `${shown(a)} -> ${shown(b)}`),
  );
  sftp.on('REALPATH', run('REALPATH', _realpath, byPath));
  sftp.on('SETSTAT', run('SETSTAT', _setstat, byPath));
  sftp.on('MKDIR', run('MKDIR', _noFolders, byPath));
  sftp.on('RMDIR', run('RMDIR', _noFolders, byPath));
  sftp.on(
    'READLINK',
    run('READLINK', _noLinks, (...p: string[]) => p.map(shown).join(' ')),
  );
  sftp.on(
    'SYMLINK',
    run('SYMLINK', _noLinks, (...p: string[]) => p.map(shown).join(' <- ')),
  );

  let closed = false;
  const closeAll = (): void => {
    if (closed) return;
    closed = true;
    for (const h of handles.drain()) {
      if (h.kind === 'dir') void h.dir.close().catch(() => undefined);
      else
        void h.fh
          .close()
          .finally(() => (h.write ? account.stopWriting(h) : undefined))
          .catch(() => undefined);
    }
  };
  sftp.on('close', closeAll);
  sftp.on('end', () => {
    closeAll();
    sftp.end(); // the client sent EOF: close the channel so it can disconnect
  });
  sftp.on('error', () => closeAll());
}
