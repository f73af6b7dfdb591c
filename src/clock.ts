/** Time comes from an injectable clock so that every time-dependent check can be tested frozen. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that stands still until told to move; for tests and reproducible demos. */
export class FrozenClock implements Clock {
  #now: number;

  constructor(start: Date | string | number) {
    const ms = typeof start === 'number' ? start : new Date(start).getTime();
    if (!Number.isFinite(ms)) throw new TypeError('FrozenClock: invalid start time');
    this.#now = ms;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): this {
    this.#now += ms;
    return this;
  }

  set(at: Date | string | number): this {
    this.#now = typeof at === 'number' ? at : new Date(at).getTime();
    return this;
  }
}

export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
