import { PasserelleError } from '../../errors.ts';
import { digitsOf, mod97Check, twoDigits } from './_mod97.ts';

/**
 * Validates and normalises a CBE/KBO/BCE enterprise number (PROTOCOLS.md §2 [confirmed]):
 * 10 digits, the first 0 or 1, valid iff `97 − (first 8 digits mod 97)` equals the last two.
 * An old 9-digit number gets a leading 0. Separators ("0123.456.749", "BE 0123 456 749") are
 * accepted. Returns the 10 bare digits or throws ERR_IDS_CBE_INVALID saying what was expected.
 */
export function normalizeCbe(input: string): string {
  const fail = (reason: string, details: Record<string, string> = {}): never => {
    throw new PasserelleError('ERR_IDS_CBE_INVALID', `Invalid CBE number "${input}": ${reason}`, {
      hint: 'A CBE (KBO/BCE) number has 10 digits, starts with 0 or 1 and ends with two check digits; copy it from the Crossroads Bank for Enterprises.',
      details: { input, ...details },
    });
  };
  const raw = digitsOf(input);
  if (raw === undefined)
    return fail('it must contain only digits (dots, spaces and a "BE" prefix are allowed)');
  const digits = raw.length === 9 ? `0${raw}` : raw;
  if (digits.length !== 10) return fail(`it has ${raw.length} digits, expected 10 (or 9 for an old number)`);
  if (digits[0] !== '0' && digits[0] !== '1') return fail('the first digit must be 0 or 1');
  const expected = twoDigits(mod97Check(digits.slice(0, 8)));
  const actual = digits.slice(8);
  if (expected !== actual) {
    return fail(`the check digits are ${actual}, expected ${expected} (97 − ${digits.slice(0, 8)} mod 97)`, {
      expected,
      actual,
    });
  }
  return digits;
}

/** True when `input` is a valid CBE number (see normalizeCbe). */
export function isValidCbe(input: string): boolean {
  try {
    normalizeCbe(input);
    return true;
  } catch {
    return false;
  }
}

/** Formats a CBE number the usual way, "0123.456.749"; throws ERR_IDS_CBE_INVALID if invalid. */
export function formatCbe(input: string): string {
  const d = normalizeCbe(input);
  return `${d.slice(0, 4)}.${d.slice(4, 7)}.${d.slice(7)}`;
}
