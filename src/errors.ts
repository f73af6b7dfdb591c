/** The error hierarchy: codes in error-codes.ts (rules there), default hints in error-hints.ts, the class here. */
export * from './error-codes.ts';
export { DEFAULT_HINTS } from './error-hints.ts';

import type { ErrorCode } from './error-codes.ts';
import { DEFAULT_HINTS } from './error-hints.ts';

/** Small, secret-free context values. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

export interface PasserelleErrorOptions {
  /** What the user should do about it; default: DEFAULT_HINTS[code]. */
  hint?: string;
  details?: ErrorDetails;
  cause?: unknown;
}

/** What `--json` prints of an error: always the four fields. */
export interface PasserelleErrorJson<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly message: string;
  readonly hint: string;
  readonly details: ErrorDetails;
}

export class PasserelleError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'PasserelleError';
  readonly code: C;
  /** What to do: the hint given, else the code's default (never empty). */
  readonly hint: string;
  readonly details: ErrorDetails;

  constructor(code: C, message: string, options: PasserelleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint || DEFAULT_HINTS[code] || DEFAULT_HINTS.ERR_INTERNAL;
    this.details = options.details ?? {};
  }

  /** Usage errors exit with status 2, every other failure with 1. */
  get isUsageError(): boolean {
    return this.code.startsWith('ERR_USAGE') || this.code === 'ERR_CONFIG_UNKNOWN_ENV';
  }

  /** A JSON-safe view (no cause, no stack): what `--json` prints. */
  toJSON(): PasserelleErrorJson<C> {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

export function isPasserelleError(value: unknown, code?: ErrorCode): value is PasserelleError {
  return value instanceof PasserelleError && (code === undefined || value.code === code);
}
