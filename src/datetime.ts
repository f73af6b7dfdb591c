/**
 * The one reader of `xs:dateTime` values (XML Schema 1.0 Part 2 §3.2.7) for WS-Security
 * Timestamps, SAML assertions and STS tokens, instead of `Date.parse` (which accepts
 * `2026-02-31`, and other forms by implementation) or ad-hoc regular expressions.
 */

export interface ParseXsDateTimeOptions {
  /**
   * Accept only the `Z` designator (WS-Security §10 and SAML 1.1 §1.3.3 require UTC times);
   * default false: `Z` or an offset `±hh:mm`.
   */
  readonly utc?: boolean;
}

const LEXICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * Milliseconds since the epoch, or undefined when `text` is not a strict `xs:dateTime` with a
 * time zone: `YYYY-MM-DDThh:mm:ss[.s+](Z|±hh:mm)`, upper-case `T` and `Z`, a four-digit year
 * from 0001, a day that exists in its month (leap years included), hours 00–23 (or 24:00:00
 * exactly, the end of the day), minutes and seconds 00–59 (no leap second), an offset up to
 * ±14:00. Fractions of any length are read to the millisecond (truncated). No surrounding
 * whitespace: callers trim where the schema collapses it. Callers throw their own domain's code.
 */
export function parseXsDateTime(text: string, options: ParseXsDateTimeOptions = {}): number | undefined {
  const m = LEXICAL.exec(text);
  if (m === null) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac = '', zone = ''] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!)) return undefined;
  if (minute > 59 || second > 59) return undefined;
  if (hour > 23 && !(hour === 24 && minute === 0 && second === 0 && /^0*$/.test(frac))) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    if (options.utc === true) return undefined;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (om > 59 || oh > 14 || (oh === 14 && om !== 0)) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  date.setUTCHours(hour, minute, second, ms); // 24:00:00 rolls over to the next day
  return date.getTime() - offsetMinutes * 60_000;
}
