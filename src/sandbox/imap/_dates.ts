import { ParseError } from './_tokens.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function month(text: string | undefined): number {
  const m = MONTHS.findIndex((x) => x.toLowerCase() === text?.toLowerCase());
  if (m < 0) throw new ParseError('invalid month');
  return m;
}

/** `date-time` of APPEND: `"17-Jul-1996 02:44:25 -0700"` (day may be space-padded). */
export function parseDateTime(text: string): Date {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new ParseError('invalid date-time');
  const utc = Date.UTC(Number(m[3]), month(m[2]), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1);
  return new Date(utc - offset);
}

/** INTERNALDATE as `"02-Dec-2026 16:20:04 +0000"` (UTC). */
export function formatDateTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const day = p(date.getUTCDate());
  const time = `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
  return `"${day}-${MONTHS[date.getUTCMonth()]}-${date.getUTCFullYear()} ${time} +0000"`;
}

/** A SEARCH `date` (`1-Feb-1994`) as the UTC midnight starting it. */
export function parseSearchDate(text: string | undefined): number {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text ?? '');
  if (!m) throw new ParseError('invalid search date');
  return Date.UTC(Number(m[3]), month(m[2]), Number(m[1]));
}
