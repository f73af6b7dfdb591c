import type { Element } from '../xml/node.ts';
import { _attr } from './_qname.ts';

export interface _Occurs {
  readonly min: number;
  readonly max: number;
}

export function _occurs(el: Element): _Occurs {
  const min = Number(_attr(el, 'minOccurs') ?? '1');
  const maxText = _attr(el, 'maxOccurs') ?? '1';
  return { min: Number.isFinite(min) ? min : 1, max: maxText === 'unbounded' ? Infinity : Number(maxText) };
}

/** How often, in words: `optional`, `repeatable, up to 5`, `2 to 10 times`. */
export function _occursNote({ min, max }: _Occurs): string | undefined {
  const upTo = max === Infinity ? 'unbounded' : `up to ${max}`;
  if (min === 0) return max > 1 ? `optional, repeatable (${upTo})` : 'optional';
  if (min === 1) return max > 1 ? `repeatable (${upTo})` : undefined;
  return `${min} to ${max === Infinity ? 'any number of' : max} times`;
}
