export interface BackoffOptions {
  /** The first retry's window, ms; default 500. */
  readonly baseMs?: number;
  /** Cap on the window, ms; default 30 000. */
  readonly maxMs?: number;
  /** Full jitter (a uniform share of the window) when true, the whole window when false; default true. */
  readonly jitter?: boolean;
  /** Uniform [0,1) source; inject a seeded one so runs repeat. Default Math.random. */
  readonly random?: () => number;
}

/**
 * How long to wait before retry number `retry` (1 for the first retry): the window
 * min(maxMs, baseMs · 2^(retry-1)), times random() with jitter ("full jitter"). Always within
 * [0, maxMs]; a random() outside [0,1] is clamped.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, maxMs = 30_000, jitter = true, random = Math.random } = options;
  if (!Number.isInteger(retry) || retry < 1)
    throw new TypeError('backoffDelay: retry must be an integer ≥ 1');
  if (!(baseMs >= 0) || !(maxMs >= 0)) throw new TypeError('backoffDelay: baseMs and maxMs must be ≥ 0');
  const window = Math.min(maxMs, baseMs * 2 ** Math.min(retry - 1, 52));
  if (!jitter) return Math.floor(window);
  const r = random();
  return Math.floor(window * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0));
}
