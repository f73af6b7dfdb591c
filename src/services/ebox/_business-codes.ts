import type { EboxCode } from '../../errors.ts';

/**
 * The platform's eBox business error codes (PROTOCOLS.md §7; the eBox troubleshooting pages)
 * and REST StatusMessage codes, mapped to Passerelle codes. Unknown codes are ERR_EBOX_BUSINESS.
 */
const SOAP_BUSINESS: Readonly<Record<string, EboxCode>> = {
  '10': 'ERR_EBOX_DIGEST_MISMATCH',
  '15': 'ERR_EBOX_DIGEST_ALGORITHM',
  '20': 'ERR_EBOX_SENDER_MISMATCH',
  '40': 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
  '90': 'ERR_EBOX_INVALID_RECIPIENT',
  '620': 'ERR_EBOX_DUPLICATE',
};

const REST_STATUS: Readonly<Record<string, EboxCode>> = {
  INVALID_INPUT: 'ERR_EBOX_INVALID_INPUT',
  INVALID_SENDER: 'ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED',
  INVALID_RECIPIENT: 'ERR_EBOX_INVALID_RECIPIENT',
  DIGEST_MISMATCH: 'ERR_EBOX_DIGEST_MISMATCH',
};

/** The Passerelle code of a SOAP BusinessError code ("40" → ERR_EBOX_MESSAGE_TYPE_NOT_AUTHORIZED). */
export function _soapBusinessCode(code: string): EboxCode {
  return SOAP_BUSINESS[code.trim()] ?? 'ERR_EBOX_BUSINESS';
}

/** The Passerelle code of a REST StatusMessage code (INVALID_SENDER → ...), else ERR_EBOX_BUSINESS. */
export function _restStatusCode(code: string): EboxCode {
  return REST_STATUS[code.trim()] ?? 'ERR_EBOX_BUSINESS';
}
