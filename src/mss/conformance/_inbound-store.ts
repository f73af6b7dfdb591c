/**
 * The messages the application's SMTP receiver took, indexed by Message-ID, and the callers
 * waiting for one. Bounded (the oldest message goes first); a wait ends on arrival, on its
 * timeout or on its signal, and leaves no timer or listener behind.
 */
import { PasserelleError } from '../../errors.ts';
import type { InboundMessage } from './runner-types.ts';

type Waiter = (message: InboundMessage | undefined) => void;

/**
 * The key of a Message-ID: without the angle brackets and surrounding space. The probe sends
 * `<conformance-…@passerelle.invalid>`; a caller may ask with or without the brackets.
 */
export function messageKey(messageId: string): string {
  const id = messageId.trim();
  return id.startsWith('<') && id.endsWith('>') ? id.slice(1, -1).trim() : id;
}

/** setTimeout's largest delay; a longer wait is cut to it (about 24.8 days). */
const MAX_DELAY = 2_147_483_647;

export class InboundStore {
  readonly #messages = new Map<string, InboundMessage>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #closed = false;

  constructor(private readonly maxMessages: number) {}

  get size(): number {
    return this.#messages.size;
  }

  /** Keeps `message` under `messageId`; false when that id was already kept (the first stays). */
  add(messageId: string, message: InboundMessage): boolean {
    const key = messageKey(messageId);
    if (key === '' || this.#messages.has(key)) return false;
    this.#messages.set(key, message);
    while (this.#messages.size > this.maxMessages) {
      const oldest = this.#messages.keys().next().value as string;
      this.#messages.delete(oldest);
    }
    const waiting = this.#waiters.get(key);
    if (waiting) {
      this.#waiters.delete(key);
      for (const wake of waiting) wake(message);
    }
    return true;
  }

  waitFor(messageId: string, timeoutMs: number, signal?: AbortSignal): Promise<InboundMessage | undefined> {
    if (typeof messageId !== 'string' || messageKey(messageId) === '')
      return Promise.reject(new PasserelleError('ERR_USAGE', 'waitFor needs a Message-ID'));
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
      return Promise.reject(
        new PasserelleError('ERR_USAGE', `waitFor: timeoutMs must be a number of milliseconds ≥ 0`, {
          details: { timeoutMs: String(timeoutMs) },
        }),
      );
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = messageKey(messageId);
    const kept = this.#messages.get(key);
    if (kept || this.#closed || timeoutMs === 0) return Promise.resolve(kept);
    return new Promise((resolve, reject) => {
      let set = this.#waiters.get(key);
      if (!set) {
        set = new Set();
        this.#waiters.set(key, set);
      }
      const waiters = set;
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
      };
      const wake: Waiter = (message) => {
        cleanup();
        resolve(message);
      };
      const onAbort = () => {
        cleanup();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => wake(undefined), Math.min(timeoutMs, MAX_DELAY));
      waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Ends every wait (undefined); later waits answer from what was kept, at once. */
  close(): void {
    this.#closed = true;
    const all = [...this.#waiters.values()];
    this.#waiters.clear();
    for (const set of all) for (const wake of [...set]) wake(undefined);
  }

  /** Waits in progress (tests: nothing left behind). */
  pendingWaits(): number {
    let n = 0;
    for (const set of this.#waiters.values()) n += set.size;
    return n;
  }
}
