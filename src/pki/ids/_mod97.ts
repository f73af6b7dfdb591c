/** The Belgian "97 − (n mod 97)" check used by CBE and INSS numbers (PROTOCOLS.md §2). */
export function mod97Check(digits: string): number {
  return 97 - Number(BigInt(digits) % 97n);
}

/** Two-digit rendering of a check value. */
export function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** Keeps digits only, dropping the usual separators (spaces, dots, dashes, slashes). */
export function digitsOf(input: string): string | undefined {
  const stripped = input
    .trim()
    .replace(/^BE/i, '')
    .replace(/[\s./-]/g, '');
  return /^\d+$/.test(stripped) ? stripped : undefined;
}
