import { resolve } from 'node:path';
import { openPostgresBatchStore } from '../batch/postgres-store.ts';
import { openSqliteBatchStore } from '../batch/sqlite-store.ts';
import type { BatchStore } from '../batch/store.ts';
import type { BatchRunInfo } from '../batch/types.ts';
import { resolvePath } from '../config/paths.ts';
import { PasserelleError } from '../errors.ts';
import type { BatchStoreCliOptions } from './commands/batch.ts';
import type { CommandContext } from './context.ts';

export function _batchUsage(
  message: string,
  hint = 'Run `passerelle batch --help` to see the commands and options.',
): PasserelleError {
  return new PasserelleError('ERR_USAGE', message, { hint });
}

/** The run's store: PostgreSQL (--queue) or the SQLite state file. A password in the URL is refused. */
async function openStore(ctx: CommandContext, opts: BatchStoreCliOptions): Promise<BatchStore> {
  if (opts.queue !== undefined) {
    let url: URL;
    try {
      url = new URL(opts.queue);
    } catch {
      throw _batchUsage('--queue must be a postgres:// URL');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      throw _batchUsage('--queue must be a postgres:// URL');
    if (url.password !== '')
      throw new PasserelleError('ERR_USAGE_SECRET_ON_ARGV', 'The --queue URL carries a password', {
        hint: 'Leave the password out of the URL: set PGPASSWORD (or use ~/.pgpass); the command line is visible to other users.',
      });
    const password = ctx.processEnv['PGPASSWORD'];
    if (password !== undefined && password !== '') url.password = encodeURIComponent(password);
    return openPostgresBatchStore({ url: url.toString() });
  }
  let path: string;
  if (opts.state !== undefined) path = resolve(ctx.cwd, opts.state);
  else {
    const loaded = await ctx.config().catch(() => undefined);
    path = loaded?.config.stateDir
      ? resolve(resolvePath(loaded.baseDir, loaded.config.stateDir), 'batch.sqlite')
      : resolve(ctx.cwd, '.passerelle-batch', 'batch.sqlite');
  }
  return openSqliteBatchStore({ path, clock: ctx.clock });
}

export async function _withBatchStore<T>(
  ctx: CommandContext,
  opts: BatchStoreCliOptions,
  fn: (s: BatchStore) => Promise<T>,
): Promise<T> {
  const store = await openStore(ctx, opts);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function _getBatchRun(store: BatchStore, runId: string): Promise<BatchRunInfo> {
  const run = await store.getRun(runId);
  if (run === undefined)
    throw new PasserelleError('ERR_USAGE', `No batch run ${runId} in this store`, {
      hint: 'List the runs with `passerelle batch status` (same --state or --queue as when the run was made).',
      details: { run: runId },
    });
  return run;
}
