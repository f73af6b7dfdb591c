import { type Clock, systemClock } from '../clock.ts';
import type { AccessToken } from './types.ts';

export interface TokenCacheOptions {
  readonly clock?: Clock;
  /** Refresh this long before expiry (capped at half the token's lifetime); default 60 s. */
  readonly refreshMarginSeconds?: number;
}

interface _Entry {
  token: AccessToken | undefined;
  inflight: Promise<AccessToken> | undefined;
}

/** A token is still sent while its expiry is at least this far away. */
const SKEW_MS = 5_000;

/**
 * Access tokens by key (client id + scope + token endpoint), with proactive refresh and
 * single-flight: a token is reused until `refreshMarginSeconds` before it expires; then one
 * request refreshes it while concurrent callers share that request (and, while the old token is
 * still usable, keep using it). A failed refresh falls back to the old token while it lasts.
 * Failures are never cached.
 */
export class TokenCache {
  readonly #entries = new Map<string, _Entry>();
  readonly #clock: Clock;
  readonly #marginMs: number;

  constructor(options: TokenCacheOptions = {}) {
    const { clock = systemClock, refreshMarginSeconds = 60 } = options;
    if (!Number.isFinite(refreshMarginSeconds) || refreshMarginSeconds < 0) {
      throw new TypeError('TokenCache: refreshMarginSeconds must be ≥ 0');
    }
    this.#clock = clock;
    this.#marginMs = refreshMarginSeconds * 1000;
  }

  /** The cached token, or the result of `fetch` (at most one call in flight per key). */
  get(
    key: string,
    fetch: () => Promise<AccessToken>,
    options: { forceRefresh?: boolean } = {},
  ): Promise<AccessToken> {
    const now = this.#clock.now();
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = { token: undefined, inflight: undefined };
      this.#entries.set(key, entry);
    }
    const old = entry.token;
    const usable = old !== undefined && now < old.expiresAt - SKEW_MS;
    if (!options.forceRefresh && old !== undefined && now < old.expiresAt - this.#margin(old)) {
      return Promise.resolve(old);
    }
    if (entry.inflight !== undefined) {
      return !options.forceRefresh && usable ? Promise.resolve(old) : entry.inflight;
    }
    const current = entry;
    const inflight = (async () => {
      try {
        // Deferred so that `inflight` is set before this settles, even if fetch throws at once.
        const token = await Promise.resolve().then(fetch);
        current.token = token;
        return token;
      } catch (error) {
        if (!options.forceRefresh && old !== undefined && this.#clock.now() < old.expiresAt - SKEW_MS)
          return old;
        throw error;
      } finally {
        current.inflight = undefined;
      }
    })();
    current.inflight = inflight;
    return inflight;
  }

  /** Drops the cached token of `key` if it is still `value` (e.g. after a 401 invalid_token). */
  invalidate(key: string, value?: string): void {
    const entry = this.#entries.get(key);
    if (entry?.token !== undefined && (value === undefined || entry.token.value === value))
      entry.token = undefined;
  }

  clear(): void {
    this.#entries.clear();
  }

  #margin(token: AccessToken): number {
    return Math.min(this.#marginMs, (token.expiresIn * 1000) / 2);
  }
}
