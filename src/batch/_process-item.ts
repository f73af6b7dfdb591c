import type { Clock } from '../clock.ts';
import { isPasserelleError } from '../errors.ts';
import { _batchError } from './_error.ts';
import { type BackoffOptions, backoffDelay } from './backoff-delay.ts';
import type { BatchEvent } from './events.ts';
import type { BatchStore } from './store.ts';
import type { BatchClaim, BatchItem, BatchResult } from './types.ts';

export interface _ProcessContext {
  readonly store: BatchStore;
  readonly clock: Clock;
  readonly publish: (item: BatchItem) => Promise<BatchResult>;
  readonly transient: (error: unknown) => boolean;
  readonly attempts: number;
  readonly backoff: BackoffOptions;
  readonly emit: (event: BatchEvent) => void;
  /**
   * The claim that holds the item now: the one given, or a newer one of this same runner when
   * the lease ran out during a long publication and the runner claimed the item again (it is
   * not started twice: the running publication's outcome is recorded under the newer claim).
   */
  readonly holder: (claim: BatchClaim) => BatchClaim;
}

/**
 * Publishes one claimed item and records the outcome: done; a transient fault with attempts
 * left → queued again after a backoff; anything else (or no attempt left) → dead letter.
 * ERR_EBOX_DUPLICATE after an earlier attempt means that attempt reached the platform (its answer
 * was lost to a timeout, a reset or a crash) and the document was read since: done, flagged
 * `alreadyPublished`. On a first attempt it is a dead letter (published by another run).
 * Store failures propagate: the runner stops on them.
 */
export async function _processItem(ctx: _ProcessContext, claim: BatchClaim): Promise<void> {
  const { store, clock, emit } = ctx;
  const { item } = claim;
  const started = clock.now();
  let outcome: { ok: true; result: BatchResult } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, result: await ctx.publish(item) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const at = clock.now();
  const holder = ctx.holder(claim);
  const lost = () => emit({ type: 'lease-lost', key: item.key, line: item.line, at });
  if (!outcome.ok && isPasserelleError(outcome.error, 'ERR_EBOX_DUPLICATE') && item.attempts > 1) {
    const messageId = outcome.error.details['messageId'];
    outcome = {
      ok: true,
      result: {
        messageId: typeof messageId === 'string' ? messageId : '',
        details: { alreadyPublished: true },
      },
    };
  }
  if (outcome.ok) {
    if (!(await store.complete(holder, outcome.result))) return lost();
    emit({
      type: 'done',
      key: item.key,
      line: item.line,
      messageId: outcome.result.messageId,
      attempts: item.attempts,
      ms: at - started,
      at,
    });
    return;
  }
  const error = _batchError(outcome.error, { attempts: item.attempts });
  if (ctx.transient(outcome.error) && item.attempts < ctx.attempts) {
    const waitMs = backoffDelay(item.attempts, ctx.backoff);
    if (!(await store.retryLater(holder, at + waitMs, error))) return lost();
    emit({
      type: 'retry',
      key: item.key,
      line: item.line,
      attempts: item.attempts,
      code: error.code,
      waitMs,
      at,
    });
    return;
  }
  if (!(await store.deadLetter(holder, error))) return lost();
  emit({
    type: 'failed',
    key: item.key,
    line: item.line,
    attempts: item.attempts,
    code: error.code,
    message: error.message,
    at,
  });
}
