import { type ErrorDetails, PasserelleError } from '../errors.ts';
import type { SoapFault } from './types.ts';

/**
 * ERR_SOAP_FAULT with the parsed fault attached (`fault`). `details` carries the stable,
 * small part (faultCode, soaCode, reasonCode, retryable, ...) for `--json` and for callers
 * that switch on codes; `fault` has the full model for those that need more.
 */
export class SoapFaultError extends PasserelleError<'ERR_SOAP_FAULT'> {
  readonly fault: SoapFault;

  constructor(fault: SoapFault, message: string, options: { hint?: string; details: ErrorDetails }) {
    super('ERR_SOAP_FAULT', message, options);
    this.fault = fault;
  }

  /** Only SOA-02002 (temporarily not available) is worth retrying. */
  get retryable(): boolean {
    return this.details['retryable'] === true;
  }
}
