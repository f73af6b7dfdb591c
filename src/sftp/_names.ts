import { PasserelleError } from '../errors.ts';
import type { SubmissionKey } from './names.ts';

/** Shared by names.ts and reply-names.ts: the part regexes and the one error they throw. */

export const APP_RE = /^[A-Z0-9]{4}$/;
export const SENDER_RE = /^[A-Za-z0-9]{1,12}$/;
export const SEQUENCE_RE = /^[A-Za-z0-9]{5}$/;
const DATE_RE = /^(\d{4})(\d{2})(\d{2})$/;
export const ENV_RE = /^[RT]$/;

/**
 * A received name as errors show it: cut at 120 characters and JSON-escaped (control characters
 * as \uXXXX), so a hostile name can neither flood nor move a terminal.
 */
export const shown = (name: string): string =>
  JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name).slice(1, -1);

/** An ERR_SFTP_NAME_INVALID error about `part` of `name` (or of a key when name is undefined). */
export function nameInvalid(part: string, why: string, name?: string): PasserelleError {
  return new PasserelleError(
    'ERR_SFTP_NAME_INVALID',
    name === undefined
      ? `Invalid submission ${part}: ${why}`
      : `Invalid file name "${shown(name)}": ${part} ${why}`,
    { details: { ...(name === undefined ? {} : { name: shown(name) }), part } },
  );
}

/** True when `text` is YYYYMMDD naming a day that exists (leap years included), year 2000–2999. */
export function isCalendarDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export const FIELDS: readonly [keyof SubmissionKey, (v: string) => boolean, string][] = [
  ['app', (v) => APP_RE.test(v), 'must be 4 capital letters or digits'],
  ['sender', (v) => SENDER_RE.test(v), 'must be 1 to 12 letters or digits'],
  ['date', isCalendarDate, 'must be a calendar date YYYYMMDD'],
  ['sequence', (v) => SEQUENCE_RE.test(v), 'must be 5 letters or digits'],
  ['environment', (v) => ENV_RE.test(v), 'must be R (real) or T (test)'],
];
