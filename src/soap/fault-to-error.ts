import type { ErrorDetails } from '../errors.ts';
import { isSoaCode, SOA_CODES } from './soa-codes.ts';
import { SoapFaultError } from './soap-fault-error.ts';
import type { SoapFault } from './types.ts';

export interface FaultToErrorOptions {
  /** The HTTP status the fault came with, if any (normally 500). */
  readonly httpStatus?: number;
}

const SOA_CODE = /^(SOA-\d{5})\b/;
const MAX_MESSAGE = 300;

/**
 * Maps a parsed SOAP fault to a typed `ERR_SOAP_FAULT`. The SOA code is taken from the
 * SystemError/BusinessError detail, else from a `SOA-xxxxx:` faultstring prefix. `retryable`
 * is true only for codes the platform documents as transient (SOA-02002).
 */
export function faultToError(fault: SoapFault, options: FaultToErrorOptions = {}): SoapFaultError {
  const soaCode = _soaCode(fault);
  const info = soaCode !== undefined && isSoaCode(soaCode) ? SOA_CODES[soaCode] : undefined;
  const cbssDetails = fault.cbss?.details ?? [];
  const reasonCodes = cbssDetails
    .map((d) => d.reasonCode)
    .filter((c): c is string => c !== undefined && c !== '');
  const fatal = cbssDetails.find((d) => d.severity?.toUpperCase() === 'FATAL' && d.reasonCode);
  const reasonCode = fatal?.reasonCode ?? reasonCodes[0];
  const details: Record<string, ErrorDetails[string]> = {
    faultCode: fault.faultcode,
    retryable: info?.retryable ?? false,
  };
  if (soaCode !== undefined) details['soaCode'] = soaCode;
  if (fault.soa !== undefined) {
    details['soaKind'] = fault.soa.kind;
    if (fault.soa.id !== undefined) details['soaId'] = fault.soa.id;
    if (fault.soa.origin !== undefined) details['origin'] = fault.soa.origin;
    if (fault.soa.environment !== undefined) details['environment'] = fault.soa.environment;
  }
  if (reasonCode !== undefined) details['reasonCode'] = reasonCode;
  if (reasonCodes.length > 1) details['reasonCodes'] = reasonCodes;
  if (fault.cbss?.informationCBSS?.ticketCBSS !== undefined)
    details['ticketCBSS'] = fault.cbss.informationCBSS.ticketCBSS;
  if (options.httpStatus !== undefined) details['httpStatus'] = options.httpStatus;

  const text = _singleLine(`SOAP fault ${fault.faultcode}: ${fault.faultstring}`);
  const message = text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
  return new SoapFaultError(fault, message, { hint: _hint(fault, info?.hint, reasonCode), details });
}

function _soaCode(fault: SoapFault): string | undefined {
  const fromDetail = fault.soa?.code;
  if (fromDetail !== undefined && SOA_CODE.test(fromDetail)) return fromDetail;
  return (
    SOA_CODE.exec(fault.faultstring)?.[1] ??
    (fromDetail !== undefined && fromDetail !== '' ? fromDetail : undefined)
  );
}

function _hint(
  fault: SoapFault,
  soaHint: string | undefined,
  reasonCode: string | undefined,
): string | undefined {
  if (soaHint !== undefined) return soaHint;
  if (reasonCode !== undefined)
    return `See the KSZ-BCSS reason code ${reasonCode} in the service documentation.`;
  if (fault.faultcodeLocal === 'Client') return 'The platform rejected the request; check what was sent.';
  if (fault.faultcodeLocal === 'Server') return 'The platform failed to process the request.';
  return undefined;
}

/** Control characters (CR, LF, ESC, ...) from the peer become spaces: one-line, terminal-safe. */
function _singleLine(text: string): string {
  let out = '';
  let inRun = false;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    const control = c < 0x20 || c === 0x7f;
    if (!control) out += ch;
    else if (!inRun) out += ' ';
    inRun = control;
  }
  return out;
}
