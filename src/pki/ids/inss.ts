import { PasserelleError } from '../../errors.ts';
import { digitsOf, mod97Check, twoDigits } from './_mod97.ts';

export interface InssInfo {
  /** The 11 bare digits. */
  readonly inss: string;
  /** 'bis' when the month carries +20 or +40 (BIS register), else 'rn' (national register). */
  readonly register: 'rn' | 'bis';
  /** True when the check digits matched with the "2" prefix (born in 2000 or later). */
  readonly born2000OrLater: boolean;
}

/**
 * Validates an INSS/NISS (SSIN) number (PROTOCOLS.md §2): 11 digits, check digits
 * `97 − (first 9 digits mod 97)`, or for people born in 2000 or later the same over "2" followed
 * by the 9 digits (both are tried). BIS numbers add 20 or 40 to the month. Separators such as
 * "85.07.30-033.28" are accepted. Throws ERR_IDS_INSS_INVALID saying which check digits were
 * expected.
 */
export function validateInss(input: string): InssInfo {
  const fail = (reason: string, details: Record<string, string> = {}): never => {
    throw new PasserelleError(
      'ERR_IDS_INSS_INVALID',
      `Invalid INSS/NISS number "${mask(input)}": ${reason}`,
      {
        hint: 'An INSS (NISS/SSIN) has 11 digits: birth date YYMMDD, a 3-digit sequence and 2 check digits.',
        details,
      },
    );
  };
  const digits = digitsOf(input);
  if (digits === undefined) return fail('it must contain only digits (dots, dashes and spaces are allowed)');
  if (digits.length !== 11) return fail(`it has ${digits.length} digits, expected 11`);
  const month = Number(digits.slice(2, 4));
  const baseMonth = month >= 40 ? month - 40 : month >= 20 ? month - 20 : month;
  if (baseMonth > 12)
    return fail(`the month ${digits.slice(2, 4)} is not a month (0–12, +20 or +40 for BIS numbers)`);
  const body = digits.slice(0, 9);
  const actual = digits.slice(9);
  const before2000 = twoDigits(mod97Check(body));
  const after2000 = twoDigits(mod97Check(`2${body}`));
  if (actual !== before2000 && actual !== after2000) {
    return fail(
      `the check digits are ${actual}, expected ${before2000} (born before 2000) or ${after2000} (born in 2000 or later)`,
      {
        expected: `${before2000}|${after2000}`,
        actual,
      },
    );
  }
  return { inss: digits, register: month >= 20 ? 'bis' : 'rn', born2000OrLater: actual === after2000 };
}

/** Formats an INSS the usual way, "85.07.30-033.28"; throws ERR_IDS_INSS_INVALID if invalid. */
export function formatInss(input: string): string {
  const d = validateInss(input).inss;
  return `${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4, 6)}-${d.slice(6, 9)}.${d.slice(9)}`;
}

/** True when `input` is a valid INSS/NISS (see validateInss). */
export function isValidInss(input: string): boolean {
  try {
    validateInss(input);
    return true;
  } catch {
    return false;
  }
}

/** An INSS is personal data: errors show only its shape, never the full number. */
function mask(input: string): string {
  return input.length <= 4
    ? '****'
    : `${input.slice(0, 2)}${'*'.repeat(Math.max(0, input.length - 4))}${input.slice(-2)}`;
}
