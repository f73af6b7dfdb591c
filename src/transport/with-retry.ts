import { setTimeout as delay } from 'node:timers/promises';
import { type Logger, silentLogger } from '../log.ts';
import { classifyRetry, type RetryDecision } from './classify-retry.ts';

export interface WithRetryOptions {
  /** Total attempts, first included; default 3. 1 disables retrying. */
  readonly attempts?: number;
  /** Backoff base; attempt n waits up to base·2^(n-1); default 250 ms. */
  readonly baseDelayMs?: number;
  /** Cap on the backoff window; default 5 s. */
  readonly maxDelayMs?: number;
  /** Uniform [0,1) source for the jitter; inject a seeded one to make runs repeat. */
  readonly random?: () => number;
  /** How to wait; inject a fake in tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Which outcomes to retry; default `classifyRetry`. */
  readonly classify?: (outcome: unknown) => RetryDecision;
  /** Stops waiting and retrying when aborted. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

const _sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
};

function _check(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new TypeError(`withRetry: ${name} must be ≥ ${min}`);
  return value;
}

/**
 * Runs `fn` and repeats it only for transient outcomes (see `classifyRetry`): a thrown error
 * that classifies as retryable, or a returned response with status 503. Waits between
 * attempts with exponential backoff and FULL jitter: random() · min(max, base · 2^(n-1)).
 * On the last attempt the error is thrown (or the 503 response returned) as is.
 * `fn` gets the attempt number (1-based) so it can rebuild a body or re-sign an envelope.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: WithRetryOptions = {},
): Promise<T> {
  const {
    random = Math.random,
    sleep = _sleep,
    classify = classifyRetry,
    signal,
    logger = silentLogger,
  } = options;
  const attempts = _check('attempts', options.attempts ?? 3, 1);
  if (!Number.isInteger(attempts)) throw new TypeError('withRetry: attempts must be an integer');
  const baseDelayMs = _check('baseDelayMs', options.baseDelayMs ?? 250, 0);
  const maxDelayMs = _check('maxDelayMs', options.maxDelayMs ?? 5000, 0);

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let decision: RetryDecision;
    try {
      const result = await fn(attempt);
      decision = classify(result);
      if (!decision.retry || attempt >= attempts) return result;
      _discard(result);
    } catch (error) {
      decision = classify(error);
      if (!decision.retry || attempt >= attempts) throw error;
    }
    const window = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const r = random();
    const waitMs = Math.floor(window * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0));
    logger.debug({ attempt, reason: decision.reason, waitMs }, 'retrying a transient failure');
    await sleep(waitMs, signal);
  }
}

/** A retried streamed response must not keep its connection busy. */
function _discard(result: unknown): void {
  const body =
    typeof result === 'object' && result !== null ? (result as { body?: unknown }).body : undefined;
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { destroy?: unknown }).destroy === 'function'
  ) {
    (body as { destroy: () => void }).destroy();
  }
}
