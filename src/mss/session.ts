import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import type { PscTokens } from './psc-tokens.ts';

/** MSSanté rule: a session unused for 15 minutes is closed. */
export const MSS_SESSION_IDLE_MS = 15 * 60_000;
/** MSSanté rule: a session lasts at most 4 hours after its login. */
export const MSS_SESSION_MAX_MS = 4 * 3_600_000;
/** The access token is refreshed this long before it expires. */
export const MSS_REFRESH_BEFORE_MS = 30_000;

export interface MssSessionOptions {
  readonly tokens: PscTokens;
  readonly clock: Clock;
  readonly idleMs?: number | undefined;
  readonly maxMs?: number | undefined;
  readonly refreshBeforeMs?: number | undefined;
  /** New tokens from the refresh token (PscClient.refresh); none: the token works until it expires. */
  readonly refresh?: ((tokens: PscTokens) => Promise<PscTokens>) | undefined;
  /** Called with the tokens of each refresh (persist them: saveSession); awaited. */
  readonly onTokens?: ((tokens: PscTokens) => void | Promise<void>) | undefined;
  /**
   * The last activity of an earlier process; default: `tokens.lastActivityAt` when the tokens come
   * from loadSession, else now.
   */
  readonly lastActivityAt?: number | undefined;
}

export type MssSessionClosedReason = 'idle' | 'expired' | 'closed';

/** What `--json` shows of a session: times (ISO 8601) and identity, never a token. */
export interface MssSessionState {
  readonly open: boolean;
  readonly closedReason: MssSessionClosedReason | null;
  readonly rpps: string | null;
  readonly acr: string | null;
  readonly loggedInAt: string;
  readonly lastActivityAt: string;
  /** When the current access token expires. */
  readonly tokenExpiresAt: string;
  readonly refreshable: boolean;
  readonly refreshExpiresAt: string | null;
  /** The session closes if unused until then. */
  readonly idleDeadline: string;
  /** The session closes then, whatever its use (login + maxMs). */
  readonly totalDeadline: string;
}

/** The limits of `environments.<env>.mss.session` (minutes, hours, seconds) in milliseconds. */
export function sessionLimitsFromConfig(
  session: { idleMinutes?: number; maxHours?: number; refreshBeforeSeconds?: number } | undefined,
): { idleMs: number; maxMs: number; refreshBeforeMs: number } {
  return {
    idleMs: session?.idleMinutes === undefined ? MSS_SESSION_IDLE_MS : session.idleMinutes * 60_000,
    maxMs: session?.maxHours === undefined ? MSS_SESSION_MAX_MS : session.maxHours * 3_600_000,
    refreshBeforeMs:
      session?.refreshBeforeSeconds === undefined
        ? MSS_REFRESH_BEFORE_MS
        : session.refreshBeforeSeconds * 1000,
  };
}

const _iso = (ms: number): string => new Date(ms).toISOString();

function _positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new PasserelleError('ERR_USAGE', `MssSession: ${name} must be a positive number of milliseconds`, {
      details: { option: name },
    });
  }
  return v;
}

/**
 * One MSSanté session of a professional, over a Pro Santé Connect login. `accessToken()` is the
 * one way to get the token to send, and enforces the rules: more than `maxMs` (4 h) after the
 * login → ERR_MSS_SESSION_EXPIRED; more than `idleMs` (15 min) since the last accessToken() or
 * touch() → ERR_MSS_SESSION_IDLE; either closes the session for good. A token expiring within
 * `refreshBeforeMs` is refreshed first (one refresh at a time, shared by concurrent callers;
 * the new tokens go to `onTokens`). An expired token is never returned: without a possible
 * refresh it is ERR_MSS_TOKEN_EXPIRED, and a handed-in token (no refresh) works until it expires.
 */
export class MssSession {
  readonly #clock: Clock;
  readonly #idleMs: number;
  readonly #maxMs: number;
  readonly #refreshBeforeMs: number;
  readonly #refresh: MssSessionOptions['refresh'];
  readonly #onTokens: MssSessionOptions['onTokens'];
  #tokens: PscTokens;
  #lastActivityAt: number;
  #closed: MssSessionClosedReason | null = null;
  #refreshing: Promise<PscTokens> | undefined;

  constructor(options: MssSessionOptions) {
    this.#clock = options.clock;
    this.#idleMs = _positive('idleMs', options.idleMs, MSS_SESSION_IDLE_MS);
    this.#maxMs = _positive('maxMs', options.maxMs, MSS_SESSION_MAX_MS);
    this.#refreshBeforeMs = _positive(
      'refreshBeforeMs',
      options.refreshBeforeMs,
      MSS_REFRESH_BEFORE_MS,
      true,
    );
    this.#refresh = options.refresh;
    this.#onTokens = options.onTokens;
    this.#tokens = options.tokens;
    const stored = (options.tokens as { lastActivityAt?: unknown }).lastActivityAt;
    this.#lastActivityAt =
      options.lastActivityAt ??
      (typeof stored === 'number' && Number.isFinite(stored) ? stored : this.#clock.now());
  }

  /** The current tokens (to persist with saveSession). */
  get tokens(): PscTokens {
    return this.#tokens;
  }

  /** When the session was last used (ms since the epoch; to persist with saveSession). */
  get lastActivityAt(): number {
    return this.#lastActivityAt;
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  /**
   * The access token to send now, refreshed first when it expires within refreshBeforeMs.
   * Counts as activity. Throws ERR_MSS_SESSION_EXPIRED, ERR_MSS_SESSION_IDLE,
   * ERR_MSS_TOKEN_EXPIRED, or the refresh's error (ERR_MSS_PSC…).
   */
  async accessToken(): Promise<string> {
    const now = this.#check();
    this.#lastActivityAt = Math.max(this.#lastActivityAt, now);
    let tokens = this.#tokens;
    if (tokens.expiresAt - now <= this.#refreshBeforeMs && this.#canRefresh(tokens, now)) {
      tokens = await this.#refreshOnce();
    }
    const after = this.#clock.now();
    if (tokens.expiresAt <= after) {
      throw new PasserelleError(
        'ERR_MSS_TOKEN_EXPIRED',
        'The access token is expired and cannot be refreshed',
        {
          details: {
            reason:
              tokens.refreshToken === undefined || this.#refresh === undefined
                ? 'no-refresh'
                : 'refresh-expired',
            expiredAt: _iso(tokens.expiresAt),
          },
        },
      );
    }
    return tokens.accessToken;
  }

  /** Records activity (a command that used the session without a new token). */
  touch(): void {
    try {
      this.#lastActivityAt = Math.max(this.#lastActivityAt, this.#check());
    } catch {
      // closed: the next accessToken() says why
    }
  }

  /** Closes the session: accessToken() then fails with ERR_MSS_SESSION_EXPIRED (reason closed). */
  close(): void {
    this.#closed ??= 'closed';
  }

  /** The session's times and identity for `--json` (no token). */
  state(): MssSessionState {
    const now = this.#clock.now();
    const t = this.#tokens;
    const idleDeadline = this.#lastActivityAt + this.#idleMs;
    const totalDeadline = t.loggedInAt + this.#maxMs;
    const closedReason =
      this.#closed ?? (now >= totalDeadline ? 'expired' : now >= idleDeadline ? 'idle' : null);
    return Object.freeze({
      open: closedReason === null,
      closedReason,
      rpps: t.rpps ?? null,
      acr: t.acr ?? null,
      loggedInAt: _iso(t.loggedInAt),
      lastActivityAt: _iso(this.#lastActivityAt),
      tokenExpiresAt: _iso(t.expiresAt),
      refreshable: this.#canRefresh(t, now),
      refreshExpiresAt: t.refreshExpiresAt === undefined ? null : _iso(t.refreshExpiresAt),
      idleDeadline: _iso(idleDeadline),
      totalDeadline: _iso(totalDeadline),
    });
  }

  /** The time now, after the total and idle rules (which close the session when broken). */
  #check(): number {
    const now = this.#clock.now();
    if (this.#closed === null) {
      if (now >= this.#tokens.loggedInAt + this.#maxMs) this.#closed = 'expired';
      else if (now >= this.#lastActivityAt + this.#idleMs) this.#closed = 'idle';
    }
    switch (this.#closed) {
      case null:
        return now;
      case 'expired':
        throw new PasserelleError(
          'ERR_MSS_SESSION_EXPIRED',
          'The MSSanté session passed its total duration',
          {
            details: {
              reason: 'max',
              loggedInAt: _iso(this.#tokens.loggedInAt),
              maxMinutes: this.#maxMs / 60_000,
            },
          },
        );
      case 'idle':
        throw new PasserelleError(
          'ERR_MSS_SESSION_IDLE',
          'The MSSanté session was idle too long and is closed',
          {
            details: { lastActivityAt: _iso(this.#lastActivityAt), idleMinutes: this.#idleMs / 60_000 },
          },
        );
      case 'closed':
        throw new PasserelleError('ERR_MSS_SESSION_EXPIRED', 'The MSSanté session is closed', {
          details: { reason: 'closed' },
        });
    }
  }

  #canRefresh(tokens: PscTokens, now: number): boolean {
    return (
      this.#refresh !== undefined &&
      tokens.refreshToken !== undefined &&
      (tokens.refreshExpiresAt === undefined || tokens.refreshExpiresAt > now)
    );
  }

  /** One refresh at a time: concurrent callers share it. */
  #refreshOnce(): Promise<PscTokens> {
    if (this.#refreshing === undefined) {
      const running = this.#doRefresh();
      this.#refreshing = running;
      const clear = () => {
        if (this.#refreshing === running) this.#refreshing = undefined;
      };
      running.then(clear, clear);
    }
    return this.#refreshing;
  }

  async #doRefresh(): Promise<PscTokens> {
    const before = this.#tokens;
    const fresh = await this.#refresh!(before);
    // The login time is the session's, whatever the refresh answered.
    this.#tokens =
      fresh.loggedInAt === before.loggedInAt ? fresh : { ...fresh, loggedInAt: before.loggedInAt };
    await this.#onTokens?.(this.#tokens);
    return this.#tokens;
  }
}
