import { ParseError } from './_tokens.ts';

/** A parsed sequence set (`1:3,7,9:*`); `*` is stored as Infinity and resolved against the largest value. */
export type SequenceSet = readonly (readonly [number, number])[];

const MAX_RANGES = 1000;

export function parseSequenceSet(text: string | undefined): SequenceSet {
  if (!text || !/^[\d:*,$]+$/.test(text)) throw new ParseError('invalid sequence set');
  const parts = text.split(',');
  if (parts.length > MAX_RANGES) throw new ParseError('sequence set too long');
  return parts.map((part) => {
    const ends = part.split(':');
    if (ends.length > 2) throw new ParseError('invalid sequence range');
    const nums = ends.map((e) => {
      if (e === '*') return Number.POSITIVE_INFINITY;
      if (!/^[1-9]\d{0,9}$/.test(e)) throw new ParseError('invalid sequence number');
      return Number(e);
    });
    const a = nums[0] ?? 0;
    const b = nums[1] ?? a;
    return [Math.min(a, b), Math.max(a, b)] as const;
  });
}

/** Whether `n` is in the set, `*` standing for `max`. */
export function inSet(set: SequenceSet, n: number, max: number): boolean {
  for (const [a0, b0] of set) {
    const a = a0 === Number.POSITIVE_INFINITY ? max : a0;
    const b = b0 === Number.POSITIVE_INFINITY ? max : b0;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/** Formats ascending numbers compactly (`1:3,7`), for COPYUID. */
export function formatSet(values: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i] as number;
    let end = start;
    while (i + 1 < values.length && values[i + 1] === end + 1) end = values[++i] as number;
    out.push(start === end ? `${start}` : `${start}:${end}`);
    i++;
  }
  return out.join(',');
}
