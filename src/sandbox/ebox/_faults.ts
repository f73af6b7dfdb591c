import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { seededRandom } from '../_random.ts';
import type { SandboxModuleContext } from '../module.ts';
import { _EboxFault } from './_fault.ts';
import type { _EboxStats } from './_stats.ts';

/** How the crashed eBox behaves: `refuse` closes its ports (ECONNREFUSED), `reset` resets every connection. */
export type EboxCrashMode = 'off' | 'refuse' | 'reset';
export const EBOX_CRASH_MODES: readonly EboxCrashMode[] = ['off', 'refuse', 'reset'];

/** The fault rates and the crash switch, as options, the control endpoint and its answers. */
export interface EboxFaultSettings {
  /** Share of publications answered with a transient fault before anything is stored (SOAP SOA-02002, REST 503). */
  readonly transientRate: number;
  /** Share of publications whose connection is reset mid-request, before anything is stored. */
  readonly resetRate: number;
  /** Share of publications stored, then their connection reset instead of the reply (the reply is lost). */
  readonly lostReplyRate: number;
  /** Share of publications whose reply is held `slowMs` after the commit. */
  readonly slowRate: number;
  readonly slowMs: number;
  readonly crash: EboxCrashMode;
}

export const EBOX_NO_FAULTS: EboxFaultSettings = Object.freeze({
  transientRate: 0,
  resetRate: 0,
  lostReplyRate: 0,
  slowRate: 0,
  slowMs: 2000,
  crash: 'off',
});

const RATES = ['transientRate', 'resetRate', 'lostReplyRate', 'slowRate'] as const;

/**
 * Checks settings (a partial update of `base`): rates in [0, 1], transient + reset + lostReply
 * ≤ 1 (one draw picks at most one of them), slowMs an integer from 0 to 600000, crash a mode.
 * Returns the merged settings or the first problem as a sentence.
 */
export function _mergeFaultSettings(
  base: EboxFaultSettings,
  update: Readonly<Record<string, unknown>>,
): EboxFaultSettings | string {
  const known = new Set<string>([...RATES, 'slowMs', 'crash']);
  const unknown = Object.keys(update).find((k) => !known.has(k));
  if (unknown !== undefined) return `unknown setting ${unknown.slice(0, 40)}`;
  const next: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(update)) if (v !== undefined) next[k] = v;
  for (const r of RATES) {
    const v = next[r];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) return `${r} is a number from 0 to 1`;
  }
  const merged = next as unknown as EboxFaultSettings;
  if (merged.transientRate + merged.resetRate + merged.lostReplyRate > 1 + 1e-9)
    return 'transientRate + resetRate + lostReplyRate is at most 1';
  if (!Number.isInteger(merged.slowMs) || merged.slowMs < 0 || merged.slowMs > 600_000)
    return 'slowMs is an integer from 0 to 600000';
  if (!EBOX_CRASH_MODES.includes(merged.crash)) return `crash is one of ${EBOX_CRASH_MODES.join(', ')}`;
  return Object.freeze({ ...merged });
}

/** Thrown where an injected fault dropped the connection: nothing is to be answered. */
export class _EboxDropped extends Error {
  constructor(readonly kind: 'reset' | 'lostReply' | 'crash') {
    super(`connection dropped by fault injection (${kind})`);
  }
}

interface _Pending {
  readonly lostReply: boolean;
  readonly slow: boolean;
}

/**
 * Seeded fault injection of the ebox module (one per module instance). Each publication draws
 * once, when the sandbox knows who publishes and its idempotency identity (SOAP: sender, ticket
 * and sequence; REST: sender and Idempotency-Key): the n-th attempt of an identity gets the
 * draws of a stream seeded by (module seed, identity, n), so the faults do not depend on the
 * order in which concurrent requests arrive. A REST publication without Idempotency-Key draws
 * from one sequential stream instead (concurrency can reorder those draws). The module seed is
 * the first value of `ctx.random` (the sandbox `--seed`). Attempt counts are kept in memory.
 */
export class _EboxFaults {
  #settings: EboxFaultSettings;
  readonly #seed: number;
  readonly #sequential: () => number;
  readonly #attempts = new Map<string, number>();
  readonly #pending = new WeakMap<IncomingMessage, _Pending>();
  readonly #stats: _EboxStats;
  readonly #ctx: SandboxModuleContext;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #closing = new AbortController();
  /** Resets a connection (RST); set by the module once its listeners track their sockets. */
  reset: (req: IncomingMessage) => void = (req) => req.socket.destroy();

  constructor(
    ctx: SandboxModuleContext,
    stats: _EboxStats,
    settings: EboxFaultSettings,
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>,
  ) {
    this.#ctx = ctx;
    this.#stats = stats;
    this.#settings = settings;
    this.#seed = Math.floor(ctx.random() * 2 ** 32);
    this.#sequential = seededRandom(this.#seed, 'ebox-faults-sequential');
    this.#sleep = sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
  }

  get settings(): EboxFaultSettings {
    return this.#settings;
  }

  set settings(next: EboxFaultSettings) {
    this.#settings = next;
  }

  /** Stops the pending slow replies (module close). */
  close(): void {
    this.#closing.abort();
  }

  #draws(identity: string | undefined): [number, number] {
    if (identity === undefined) return [this.#sequential(), this.#sequential()];
    if (this.#attempts.size >= 1_000_000) this.#attempts.clear();
    const n = (this.#attempts.get(identity) ?? 0) + 1;
    this.#attempts.set(identity, n);
    const stream = seededRandom(this.#seed, `${identity}\u0000${n}`);
    return [stream(), stream()];
  }

  /**
   * The draw of one publication, before anything is stored: throws SOA-02002 (transient; REST
   * maps it to 503) or resets the connection and throws _EboxDropped; otherwise remembers
   * whether the reply is to be lost or held (see `beforeReply`). No draw without a rate.
   */
  publication(req: IncomingMessage, identity: string | undefined): void {
    const s = this.#settings;
    if (s.transientRate + s.resetRate + s.lostReplyRate + s.slowRate === 0) return;
    const [u, v] = this.#draws(identity);
    const slow = v < s.slowRate;
    if (u < s.transientRate) {
      this.#count(req, 'transient');
      throw _EboxFault.system('SOA-02002', 'injected-transient', 500);
    }
    if (u < s.transientRate + s.resetRate) {
      this.#count(req, 'reset');
      this.reset(req);
      throw new _EboxDropped('reset');
    }
    const lostReply = u < s.transientRate + s.resetRate + s.lostReplyRate;
    if (lostReply || slow) this.#pending.set(req, { lostReply, slow });
  }

  /**
   * After the publication is stored, before its reply: holds it `slowMs` when drawn slow; resets
   * the connection and throws _EboxDropped when drawn lost (the citizen has the message, the
   * caller does not know).
   */
  async beforeReply(req: IncomingMessage): Promise<void> {
    const pending = this.#pending.get(req);
    if (pending === undefined) return;
    this.#pending.delete(req);
    if (pending.slow) {
      this.#count(req, 'slow');
      await this.#sleep(this.#settings.slowMs, this.#closing.signal);
    }
    if (pending.lostReply) {
      this.#count(req, 'lostReply');
      this.reset(req);
      throw new _EboxDropped('lostReply');
    }
  }

  #count(req: IncomingMessage, kind: 'transient' | 'reset' | 'lostReply' | 'slow'): void {
    this.#stats.bump(`injected.${kind}`);
    this.#ctx.journal?.note(req, { fault: `injected ${kind}`, reason: `fault-injection:${kind}` });
    this.#ctx.log.info({ kind, path: req.url?.slice(0, 200) }, 'ebox fault injected');
  }
}
