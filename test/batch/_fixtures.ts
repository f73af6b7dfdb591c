import type { BatchItemSpec } from '../../src/batch/types.ts';
import { FrozenClock } from '../../src/clock.ts';
import type { EboxPublication } from '../../src/services/ebox/publication.ts';

export const T0 = Date.parse('2026-12-01T08:00:00.000Z');
export const ACTIVE = ['85073003328', '05031212360', '91451545659'] as const;

/** A frozen clock and a sleep that moves it: waits take no real time. */
export function fakeTime(start = T0) {
  const clock = new FrozenClock(start);
  const sleeps: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
    clock.advance(ms);
  };
  return { clock, sleep, sleeps };
}

export function publication(i: number): EboxPublication {
  return {
    recipient: ACTIVE[i % 3]!,
    messageType: 'PASSERELLE_PAYMENT_STATEMENT',
    subject: { lang: 'fr', text: `Relevé ${i}` },
    document: { path: `/nonexistent/${i}.pdf` },
    ticket: `TEST-${i}`,
  };
}

/** `n` ready items, lines 2..n+1, keys T:TEST-i#. */
export function specs(n: number): BatchItemSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `T:TEST-${i}#`,
    line: i + 2,
    recipient: ACTIVE[i % 3]!,
    publication: publication(i),
  }));
}
