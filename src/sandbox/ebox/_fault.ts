import { SOA_CODES, type SoaCode } from '../../soap/soa-codes.ts';

/**
 * A refused eBox call. `kind` SystemError carries a SOA code (SOA-01001, SOA-03006, …) and the
 * platform's text; BusinessError carries the eBox business code ("10", "40", "620", …) and an
 * informative English message. `reason` (an ERR_* code or a short tag) goes to the sandbox log
 * and the journal only. REST maps the same refusals to its StatusMessage answers.
 */
export class _EboxFault extends Error {
  constructor(
    readonly kind: 'SystemError' | 'BusinessError',
    readonly code: string,
    message: string,
    readonly reason: string,
    readonly status = 500,
  ) {
    super(message);
  }

  static system(code: SoaCode, reason: string, status = 500, detail?: string): _EboxFault {
    const fault = new _EboxFault('SystemError', code, SOA_CODES[code].text, reason, status);
    if (detail !== undefined) fault.detail = detail;
    return fault;
  }

  static business(code: EboxBusinessCode, message: string, reason: string): _EboxFault {
    return new _EboxFault('BusinessError', code, message, reason);
  }

  /** The precise cause, for the sandbox log only. */
  detail: string | undefined;
}

/** The eBox business error codes the sandbox answers (PROTOCOLS.md §7). */
export type EboxBusinessCode = '10' | '15' | '20' | '40' | '90' | '620';
