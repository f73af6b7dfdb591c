import { _patternRegExp, _patternSample } from './_pattern.ts';
import type { _SimpleInfo } from './_simple.ts';

/** Where a template's ID values come from: `id1`, `id2`, ... (IDs are unique per document). */
export interface _Ids {
  next(): string;
}

const EXAMPLES: Readonly<Record<string, string>> = {
  boolean: 'false',
  dateTime: '2025-01-31T12:00:00Z',
  dateTimeStamp: '2025-01-31T12:00:00Z',
  date: '2025-01-31',
  time: '12:00:00',
  duration: 'P1D',
  dayTimeDuration: 'P1D',
  yearMonthDuration: 'P1M',
  gYear: '2025',
  gYearMonth: '2025-01',
  gMonth: '--01',
  gMonthDay: '--01-31',
  gDay: '---31',
  language: 'en',
  anyURI: 'https://example.test/',
  Name: 'a',
  NCName: 'a',
  NMTOKEN: 'a',
  NMTOKENS: 'a',
  ENTITY: 'a',
  ENTITIES: 'a',
  QName: 'a',
  NOTATION: 'a',
  // An IDREF must name an ID of the document: the first one a template writes is id1.
  IDREF: 'id1',
  IDREFS: 'id1',
};
const INTEGER = new Set([
  'integer',
  'long',
  'int',
  'short',
  'byte',
  'nonNegativeInteger',
  'nonPositiveInteger',
  'unsignedLong',
  'unsignedInt',
  'unsignedShort',
  'unsignedByte',
  'positiveInteger',
  'negativeInteger',
]);
const NUMERIC = new Set([...INTEGER, 'decimal', 'float', 'double']);
const DATES = new Set(['dateTime', 'dateTimeStamp', 'date', 'time', 'gYear', 'gYearMonth']);
const STRINGS = new Set(['string', 'normalizedString', 'token', 'anySimpleType', 'anyAtomicType']);

/**
 * A value of the simple type `info` that its facets accept:
 * - the first enumeration value;
 * - numbers: 0 (1 for positiveInteger, -1 for negativeInteger), moved into the range facets;
 * - dates and times: an example (2025-01-31...), or the inclusive bound it lies outside of;
 * - `false`; base64Binary `AAAA` (3 zero octets) and hexBinary `00`, sized to the length facets;
 * - IDs `id1`, `id2`, ... (unique per template), IDREF `id1`, names `a`, anyURI an https URL;
 * - text (string, token, ...): `?`, repeated to the minimum length;
 * - a `pattern` the value above does not match: a string generated from the pattern, within the
 *   length facets;
 * - a list: its item value, repeated to the minimum number of items.
 */
export function _sample(info: _SimpleInfo, ids: _Ids): string {
  if (info.enums.length > 0) return info.enums[0]!;
  if (info.list && info.item !== undefined) {
    const count = _length(info.facets, 1);
    const items: string[] = [];
    for (let i = 0; i < count; i++) items.push(_sample(info.item, ids));
    return items.join(' ');
  }
  const value = _typed(info, ids);
  if (info.patternSteps.length === 0 || _matches(value, info.patternSteps)) return value;
  const f = info.facets;
  const counted = STRINGS.has(info.base) || !NUMERIC.has(info.base);
  const min = counted ? Number(f.get('length') ?? f.get('minLength') ?? 0) : 0;
  const max = counted ? Number(f.get('length') ?? f.get('maxLength') ?? Infinity) : Infinity;
  let fallback: string | undefined;
  for (const pattern of info.patternSteps[0]!) {
    const s = _patternSample(pattern, min, max);
    if (s === undefined) continue;
    if (_matches(s, info.patternSteps)) return s;
    fallback ??= s;
  }
  return fallback ?? value;
}

/** True when `value` matches one pattern of each step (a pattern Passerelle cannot read counts as matched). */
function _matches(value: string, steps: readonly (readonly string[])[]): boolean {
  return steps.every((step) =>
    step.some((p) => {
      const re = _patternRegExp(p);
      return re === undefined || re.test(value);
    }),
  );
}

/** The length a value needs: `length`, else `minLength` (at least `floor`), capped by `maxLength`. */
function _length(f: ReadonlyMap<string, string>, floor: number): number {
  const exact = f.get('length');
  if (exact !== undefined) return Number(exact);
  const n = Math.max(Number(f.get('minLength') ?? 0), floor);
  return Math.min(n, Number(f.get('maxLength') ?? Infinity));
}

function _typed(info: _SimpleInfo, ids: _Ids): string {
  const { base, facets: f } = info;
  if (NUMERIC.has(base)) return _number(info);
  if (base === 'base64Binary') return Buffer.alloc(_length(f, 3)).toString('base64');
  if (base === 'hexBinary') return '00'.repeat(_length(f, 1));
  if (base === 'ID') return ids.next();
  if (DATES.has(base)) {
    const example = EXAMPLES[base]!;
    const min = f.get('minInclusive');
    const max = f.get('maxInclusive');
    if (min !== undefined && example < min) return min;
    if (max !== undefined && example > max) return max;
    return example;
  }
  const example = EXAMPLES[base];
  if (example !== undefined) return example;
  return '?'.repeat(_length(f, 1));
}

/** A number inside the range facets: the type's default when it fits, else a bound or next to one. */
function _number(info: _SimpleInfo): string {
  const f = info.facets;
  const integer = INTEGER.has(info.base);
  let text = info.base === 'positiveInteger' ? '1' : info.base === 'negativeInteger' ? '-1' : '0';
  const minIn = f.get('minInclusive');
  const minEx = f.get('minExclusive');
  const maxIn = f.get('maxInclusive');
  const maxEx = f.get('maxExclusive');
  const v = (): number => Number(text);
  if (minIn !== undefined && v() < Number(minIn)) text = minIn;
  if (minEx !== undefined && v() <= Number(minEx))
    text = String(integer ? Math.floor(Number(minEx)) + 1 : Number(minEx) + 1);
  if (maxIn !== undefined && v() > Number(maxIn)) text = maxIn;
  if (maxEx !== undefined && v() >= Number(maxEx))
    text = String(integer ? Math.ceil(Number(maxEx)) - 1 : Number(maxEx) - 1);
  // A decimal range narrower than 1: its middle.
  const lo = minIn ?? minEx;
  if (!integer && lo !== undefined && (v() < Number(lo) || (minEx !== undefined && v() <= Number(minEx)))) {
    const hi = Number(maxIn ?? maxEx ?? Number(lo) + 2);
    text = String((Number(lo) + hi) / 2);
  }
  const fraction = f.get('fractionDigits');
  if (!integer && fraction !== undefined && text.includes('.')) text = Number(text).toFixed(Number(fraction));
  return text;
}
