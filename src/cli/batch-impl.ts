import { resolve } from 'node:path';
import { createRunFromManifest } from '../batch/create-run-from-manifest.ts';
import { runBatch } from '../batch/run-batch.ts';
import type { BatchStore } from '../batch/store.ts';
import type { BatchCounts, BatchItem, BatchResult, BatchRunInfo } from '../batch/types.ts';
import { writeBatchReport } from '../batch/write-report.ts';
import { PasserelleError } from '../errors.ts';
import { createEboxRestClient } from '../services/ebox/rest-client.ts';
import { publishEboxMessage } from '../services/ebox/soap-publish.ts';
import { createServiceContext } from '../services/service-context.ts';
import { _batchProgress } from './_batch-progress.ts';
import { _batchUsage, _getBatchRun, _withBatchStore } from './_batch-store.ts';
import type {
  BatchPublishCliOptions,
  BatchReportCliOptions,
  BatchRunCliOptions,
  BatchStoreCliOptions,
} from './commands/batch.ts';
import type { CommandContext } from './context.ts';
import { emit, emitFailure } from './output.ts';

function count(flag: string, text: string | undefined, integer = true): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw _batchUsage(`${flag} must be a positive ${integer ? 'whole ' : ''}number`);
  return n;
}

const countsLine = (c: BatchCounts) =>
  `${c.done} done, ${c.failed} failed, ${c.invalid} invalid, ${c.queued + c.inFlight} to do${c.retrying ? ` (${c.retrying} waiting to retry)` : ''} of ${c.total}`;

/** Publishes the claimed items of a run until it ends or Ctrl-C (a second Ctrl-C exits at once). */
async function work(
  ctx: CommandContext,
  store: BatchStore,
  run: BatchRunInfo,
  opts: BatchRunCliOptions,
): Promise<number> {
  const concurrency = count('--concurrency', opts.concurrency);
  const ratePerSecond = count('--rate', opts.rate, false);
  const maxInFlight = count('--max-in-flight', opts.maxInFlight);
  const rest = opts.rest ?? run.meta['transport'] === 'rest';
  if (rest !== (run.meta['transport'] === 'rest'))
    throw _batchUsage(
      `Run ${run.id} was made for ${String(run.meta['transport']).toUpperCase()}: resume it over the same transport`,
    );
  const environment = await ctx.environment();
  const trace = await ctx.trace();
  let publish: (item: BatchItem) => Promise<BatchResult>;
  let close: () => Promise<void>;
  if (rest) {
    const client = await createEboxRestClient(environment, {
      clock: ctx.clock,
      processEnv: ctx.processEnv,
      trace,
      ...(opts.clientId === undefined ? {} : { clientId: opts.clientId }),
    });
    publish = async (item) => ({ messageId: (await client.publish(item.publication!)).messageId });
    close = () => client.close();
  } else {
    const services = await createServiceContext(environment, {
      clock: ctx.clock,
      processEnv: ctx.processEnv,
      trace,
    });
    publish = async (item) => ({
      messageId: (await publishEboxMessage(services, item.publication!)).messageId,
    });
    close = () => services.close();
  }
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130); // second Ctrl-C: at once; `batch resume` recovers
    ctx.io.err(
      'Stopping: the publications under way finish, the rest stays queued (Ctrl-C again to quit now).',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = _batchProgress(ctx);
  try {
    const result = await runBatch(store, run.id, {
      publish,
      signal: controller.signal,
      onEvent: progress.onEvent,
      clock: ctx.clock,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
    });
    progress.stop();
    const value = {
      run: run.id,
      stopped: result.stopped,
      elapsedMs: result.elapsedMs,
      counts: result.counts,
    };
    const human = () =>
      [
        `batch ${run.id}: ${result.stopped ? 'stopped' : 'finished'} in ${(result.elapsedMs / 1000).toFixed(1)} s — ${countsLine(result.counts)}`,
        ...(result.stopped ? [`  go on with: passerelle batch resume ${run.id}`] : []),
        ...(result.counts.failed + result.counts.invalid > 0
          ? [`  see why: passerelle batch report ${run.id} --out report.csv`]
          : []),
      ].join('\n');
    if (result.counts.failed + result.counts.invalid === 0 || result.stopped) {
      emit(ctx.io, ctx.json, value, human);
      return result.stopped ? 130 : 0;
    }
    const error = new PasserelleError(
      'ERR_BATCH_ITEMS_FAILED',
      `${result.counts.failed + result.counts.invalid} item(s) of run ${run.id} were not published`,
      { details: { run: run.id, failed: result.counts.failed, invalid: result.counts.invalid } },
    );
    return emitFailure(ctx.io, ctx.json, value, error, human);
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await close();
  }
}

/** `passerelle batch ebox-publish --manifest F`: validate and store the run, then publish it. */
export async function batchEboxPublish(ctx: CommandContext, opts: BatchPublishCliOptions): Promise<number> {
  const lang = opts.lang?.toLowerCase();
  if (lang !== undefined && lang !== 'fr' && lang !== 'nl' && lang !== 'de')
    throw _batchUsage('--lang must be fr, nl or de');
  return _withBatchStore(ctx, opts, async (store) => {
    const run = await createRunFromManifest(store, resolve(ctx.cwd, opts.manifest), {
      transport: opts.rest ? 'rest' : 'soap',
      ...(opts.strict ? { strict: true } : {}),
      ...(opts.runId === undefined ? {} : { id: opts.runId }),
      ...(lang === undefined ? {} : { defaultLang: lang }),
      ...(opts.senderApp === undefined ? {} : { senderApplication: opts.senderApp }),
      ...(opts.senderInstitution === undefined ? {} : { senderInstitution: opts.senderInstitution }),
    });
    const counts = await store.counts(run.id);
    const invalid: { line: number; code: string; message: string }[] = [];
    for await (const item of store.items(run.id, { states: ['invalid'] })) {
      if (invalid.length < 20)
        invalid.push({ line: item.line, code: item.error?.code ?? '', message: item.error?.message ?? '' });
    }
    if (!ctx.json) {
      ctx.io.err(`batch ${run.id}: ${counts.total} row(s) stored, ${counts.invalid} refused by validation`);
      for (const i of invalid) ctx.io.err(`  line ${i.line}: ${i.code}: ${i.message}`);
      if (counts.invalid > invalid.length)
        ctx.io.err(`  … ${counts.invalid - invalid.length} more in the report`);
    }
    if (run.state === 'rejected') {
      const error = new PasserelleError(
        'ERR_BATCH_MANIFEST_REJECTED',
        `Run ${run.id} was refused (--strict): ${counts.invalid} bad row(s), nothing sent`,
        {
          details: { run: run.id, invalid: counts.invalid },
        },
      );
      return emitFailure(ctx.io, ctx.json, { run: run.id, counts, invalid }, error, () => error.message);
    }
    if (opts.validateOnly) {
      emit(
        ctx.io,
        ctx.json,
        { run: run.id, counts, invalid },
        () =>
          `batch ${run.id}: validated (${countsLine(counts)}); publish with: passerelle batch resume ${run.id}`,
      );
      return 0;
    }
    return work(ctx, store, run, opts);
  });
}

/** `passerelle batch resume RUN`. */
export async function batchResume(
  ctx: CommandContext,
  runId: string,
  opts: BatchRunCliOptions,
): Promise<number> {
  return _withBatchStore(ctx, opts, async (store) =>
    work(ctx, store, await _getBatchRun(store, runId), opts),
  );
}

/** `passerelle batch retry RUN --failed`: the dead letters queued again, then published. */
export async function batchRetry(
  ctx: CommandContext,
  runId: string,
  opts: BatchRunCliOptions,
): Promise<number> {
  return _withBatchStore(ctx, opts, async (store) => {
    const run = await _getBatchRun(store, runId);
    const requeued = await store.requeueFailed(run.id);
    if (!ctx.json) ctx.io.err(`batch ${run.id}: ${requeued} failed item(s) queued again`);
    return work(ctx, store, run, opts);
  });
}

/** `passerelle batch status [RUN]`. */
export async function batchStatus(
  ctx: CommandContext,
  runId: string | undefined,
  opts: BatchStoreCliOptions,
): Promise<number> {
  return _withBatchStore(ctx, opts, async (store) => {
    if (runId === undefined) {
      const runs: (BatchRunInfo & { counts: BatchCounts })[] = [];
      for (const r of await store.listRuns()) runs.push({ ...r, counts: await store.counts(r.id) });
      emit(ctx.io, ctx.json, { runs }, () =>
        runs.length === 0
          ? 'no batch runs in this store'
          : runs
              .map(
                (r) => `${r.id}  ${new Date(r.createdAt).toISOString()}  ${r.state}  ${countsLine(r.counts)}`,
              )
              .join('\n'),
      );
      return 0;
    }
    const run = await _getBatchRun(store, runId);
    const counts = await store.counts(run.id);
    emit(
      ctx.io,
      ctx.json,
      {
        run: run.id,
        state: run.state,
        createdAt: new Date(run.createdAt).toISOString(),
        meta: run.meta,
        counts,
      },
      () =>
        `batch ${run.id} (${run.state}, ${String(run.meta['transport'] ?? 'soap').toUpperCase()}): ${countsLine(counts)}`,
    );
    return 0;
  });
}

/** `passerelle batch report RUN --out FILE`. */
export async function batchReport(
  ctx: CommandContext,
  runId: string,
  opts: BatchReportCliOptions,
): Promise<number> {
  const format = opts.format?.toLowerCase();
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw _batchUsage('--format must be csv or json');
  return _withBatchStore(ctx, opts, async (store) => {
    const run = await _getBatchRun(store, runId);
    const out = resolve(ctx.cwd, opts.out);
    await writeBatchReport(store, run.id, out, format === undefined ? {} : { format });
    const counts = await store.counts(run.id);
    emit(
      ctx.io,
      ctx.json,
      { run: run.id, out, counts },
      () => `batch ${run.id}: report written to ${out} (${countsLine(counts)})`,
    );
    return 0;
  });
}
