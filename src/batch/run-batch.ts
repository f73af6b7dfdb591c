import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { type Clock, systemClock } from '../clock.ts';
import { _processItem } from './_process-item.ts';
import type { BackoffOptions } from './backoff-delay.ts';
import type { BatchEvent } from './events.ts';
import { isTransient } from './is-transient.ts';
import type { BatchStore } from './store.ts';
import type { BatchClaim, BatchCounts, BatchItem, BatchResult, BatchRunState } from './types.ts';

export interface BatchRetryOptions extends BackoffOptions {
  /** Claims of one item at most, the first included; default 5. 1 disables retrying. */
  readonly attempts?: number;
}

export interface RunBatchOptions {
  /** Publishes one item (its stored publication carries the ticket/idempotency key); throws a PasserelleError on failure. */
  readonly publish: (item: BatchItem) => Promise<BatchResult>;
  /** Publications at the same time; default 8. */
  readonly concurrency?: number;
  /** Publications started per second at most; default unlimited. */
  readonly ratePerSecond?: number;
  /** Items claimed and not ended at most (running + waiting to start): the memory bound; default 4 × concurrency. */
  readonly maxInFlight?: number;
  /**
   * The claim's lease, ms; default 300 000. A publication outlasting it is not started twice by
   * this runner (it takes its own item's new claim over), but another worker (PostgreSQL) may
   * claim and publish it again: a replacement, thanks to the ticket, yet wasted work.
   */
  readonly leaseMs?: number;
  readonly retry?: BatchRetryOptions;
  /** Which failures are retried; default `isTransient`. */
  readonly classify?: (error: unknown) => boolean;
  readonly clock?: Clock;
  /** How to wait (rate limit, polling); inject a fake with a frozen clock. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** When nothing is due but items wait (a retry's not-before, another worker's lease): poll every; default 1000 ms. */
  readonly pollMs?: number;
  /** `progress` events at most every; default 1000 ms. */
  readonly progressMs?: number;
  /** Graceful stop: no new claims, claimed items not started are released, running ones end. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Who claims (diagnostics); default host:pid. */
  readonly owner?: string;
}

export interface RunBatchResult {
  readonly runId: string;
  /** The run's state: only an `open` run is worked; a `rejected` (strict) or `creating` one is returned as is. */
  readonly state: BatchRunState;
  readonly counts: BatchCounts;
  /** True when the signal stopped the run before every item ended. */
  readonly stopped: boolean;
  readonly elapsedMs: number;
}

const _sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await delay(ms, undefined, signal === undefined ? undefined : { signal }).catch(() => undefined);
};

function positive(name: string, value: number, integer = true): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new TypeError(`runBatch: ${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
}

/**
 * Works a stored run until every item has ended (done, failed) or the signal stops it. Claims
 * items in bounded batches (at most `maxInFlight` held, whatever the run's size), publishes up
 * to `concurrency` at once, no faster than `ratePerSecond`, and records each outcome in the
 * store before counting it (see `_processItem` for retries and dead letters). Safe to call again
 * on the same run after a crash or a stop (resume): it takes queued items, retries whose time
 * has come and items whose lease has expired. Throws only for wrong options (TypeError) or a
 * store failure (after the running publications end); a publication's failure is an item's.
 */
export async function runBatch(
  store: BatchStore,
  runId: string,
  options: RunBatchOptions,
): Promise<RunBatchResult> {
  const {
    publish,
    retry = {},
    classify = isTransient,
    clock = systemClock,
    sleep = _sleep,
    signal,
    onEvent,
    owner = `${hostname()}:${process.pid}`,
  } = options;
  if (typeof publish !== 'function') throw new TypeError('runBatch: give a publish function');
  const concurrency = positive('concurrency', options.concurrency ?? 8);
  const maxInFlight = positive('maxInFlight', options.maxInFlight ?? 4 * concurrency);
  if (maxInFlight < concurrency) throw new TypeError('runBatch: maxInFlight must be ≥ concurrency');
  const leaseMs = positive('leaseMs', options.leaseMs ?? 300_000);
  const pollMs = positive('pollMs', options.pollMs ?? 1000);
  const progressMs = positive('progressMs', options.progressMs ?? 1000);
  const rate =
    options.ratePerSecond === undefined ? undefined : positive('ratePerSecond', options.ratePerSecond, false);
  const attempts = positive('retry.attempts', retry.attempts ?? 5);

  const emit = (event: BatchEvent): void => {
    try {
      onEvent?.(event);
    } catch {
      // a listener's failure is not the run's
    }
  };
  const startedAt = clock.now();
  let ended = 0;
  const counting = (event: BatchEvent): void => {
    if (event.type === 'done' || event.type === 'failed') ended++;
    emit(event);
  };
  /** Items being published by this runner, by key: the latest claim of each. */
  const running = new Map<string, BatchClaim>();
  const ctx = {
    store,
    clock,
    publish,
    transient: classify,
    attempts,
    backoff: retry,
    emit: counting,
    holder: (claim: BatchClaim) => running.get(claim.item.key) ?? claim,
  };

  const buffer: BatchClaim[] = [];
  const active = new Set<Promise<void>>();
  let fatal: { error: unknown } | undefined;
  let stopping = signal?.aborted === true;
  const stopped = new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    signal.addEventListener(
      'abort',
      () => {
        stopping = true;
        resolve();
      },
      { once: true },
    );
  });
  let nextStart = startedAt;
  let lastProgress = startedAt;

  const progress = async (force = false): Promise<BatchCounts> => {
    const at = clock.now();
    const counts = await store.counts(runId);
    if (force || at - lastProgress >= progressMs) {
      lastProgress = at;
      const ratePerSecond = at > startedAt ? (ended * 1000) / (at - startedAt) : 0;
      const left = counts.queued + counts.inFlight;
      emit({
        type: 'progress',
        counts,
        ratePerSecond,
        etaSeconds: ratePerSecond > 0 ? left / ratePerSecond : undefined,
        at,
      });
    }
    return counts;
  };
  const start = (claim: BatchClaim): void => {
    running.set(claim.item.key, claim);
    const task: Promise<void> = _processItem(ctx, claim)
      .catch((error: unknown) => {
        fatal ??= { error };
      })
      .finally(() => {
        active.delete(task);
        running.delete(claim.item.key);
      });
    active.add(task);
  };

  const run = await store.getRun(runId);
  if (run === undefined) throw new TypeError(`runBatch: no run ${runId}`);
  if (run.state !== 'open')
    return { runId, state: run.state, counts: await store.counts(runId), stopped: false, elapsedMs: 0 };
  emit({ type: 'start', runId, counts: await store.counts(runId), at: startedAt });
  const refillAt = Math.max(1, Math.floor(maxInFlight / 2));
  let drained = false;
  while (!stopping && fatal === undefined) {
    const free = maxInFlight - buffer.length - active.size;
    if (free >= refillAt || (buffer.length === 0 && active.size < concurrency)) {
      const claims = free > 0 ? await store.claim(runId, { limit: free, leaseMs, owner }) : [];
      drained = claims.length === 0;
      if (claims.length > 0) {
        for (const claim of claims) {
          // Its lease ran out while this runner still publishes it: take the new claim over.
          if (running.has(claim.item.key)) running.set(claim.item.key, claim);
          else buffer.push(claim);
        }
        emit({ type: 'claimed', count: claims.length, at: clock.now() });
      }
    }
    while (active.size < concurrency && buffer.length > 0 && !stopping) {
      if (rate !== undefined) {
        const now = clock.now();
        if (nextStart > now) await sleep(nextStart - now, signal);
        if (stopping) break;
        nextStart = Math.max(nextStart, clock.now()) + 1000 / rate;
      }
      start(buffer.shift()!);
    }
    if (clock.now() - lastProgress >= progressMs) await progress();
    if (active.size === 0 && buffer.length === 0) {
      if (!drained) continue;
      const counts = await store.counts(runId);
      if (counts.queued === 0 && counts.inFlight === 0) break;
      await sleep(pollMs, signal);
      continue;
    }
    if (active.size >= concurrency || buffer.length === 0) await Promise.race([...active, stopped]);
  }
  if (buffer.length > 0) {
    const claims = buffer.splice(0);
    let released = 0;
    for (const claim of claims) if (await store.release(claim).catch(() => false)) released++;
    emit({ type: 'released', count: released, at: clock.now() });
  }
  await Promise.all([...active]);
  if (fatal !== undefined) throw fatal.error;
  const counts = await progress(true);
  const at = clock.now();
  const result = {
    runId,
    state: run.state,
    counts,
    stopped: stopping && counts.queued + counts.inFlight > 0,
    elapsedMs: at - startedAt,
  };
  emit({ type: 'end', ...result, at });
  return result;
}
