/**
 * The eHealth SOA platform error codes, PROTOCOLS.md §3. The codes are [confirmed]; the text of
 * SOA-01001 is the seed's, the other texts restate the meaning given there.
 */
export interface SoaCodeInfo {
  readonly text: string;
  /** Whether a later identical call may succeed (only SOA-02002 says so). */
  readonly retryable: boolean;
  readonly hint: string;
}

const CHECK_REQUEST =
  'Check the request against the service WSDL/XSD; the platform log has the precise reason.';

export const SOA_CODES = Object.freeze({
  'SOA-00001': {
    text: 'Service error.',
    retryable: false,
    hint: 'The service failed; quote the error id to the platform service desk.',
  },
  'SOA-01001': {
    text: 'Service call not authenticated.',
    retryable: false,
    hint: 'Check the WS-Security signature and that the certificate is the one registered for this environment.',
  },
  'SOA-01002': {
    text: 'Service call not authorized.',
    retryable: false,
    hint: 'The platform does not authorise this consumer for the service: ask the platform team for access.',
  },
  'SOA-02001': {
    text: 'Service not available.',
    retryable: false,
    hint: 'The service is down; do not retry automatically, check the platform status or service desk.',
  },
  'SOA-02002': {
    text: 'Service temporarily not available.',
    retryable: true,
    hint: 'The service is temporarily unavailable: retry later (with backoff).',
  },
  'SOA-03001': { text: 'Malformed message.', retryable: false, hint: CHECK_REQUEST },
  'SOA-03002': { text: 'Message must be SOAP.', retryable: false, hint: CHECK_REQUEST },
  'SOA-03003': { text: 'Message must contain SOAP body.', retryable: false, hint: CHECK_REQUEST },
  'SOA-03004': { text: 'WS-I compliance failure.', retryable: false, hint: CHECK_REQUEST },
  'SOA-03005': { text: 'WSDL compliance failure.', retryable: false, hint: CHECK_REQUEST },
  'SOA-03006': { text: 'XSD compliance failure.', retryable: false, hint: CHECK_REQUEST },
  'SOA-03007': { text: 'Message content validation failure.', retryable: false, hint: CHECK_REQUEST },
} as const satisfies Record<string, SoaCodeInfo>);

export type SoaCode = keyof typeof SOA_CODES;

export function isSoaCode(value: string): value is SoaCode {
  return Object.hasOwn(SOA_CODES, value);
}
