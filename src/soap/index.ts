export { type BuildEnvelopeOptions, buildEnvelope, type EnvelopeContent } from './build-envelope.ts';
export {
  type BuildCbssFaultOptions,
  type BuildFaultOptions,
  type BuildSoaErrorOptions,
  buildFault,
} from './build-fault.ts';
export { type FaultToErrorOptions, faultToError } from './fault-to-error.ts';
export * as mtom from './mtom/index.ts';
export { SOAP_NAMESPACES } from './namespaces.ts';
export { parseEnvelope } from './parse-envelope.ts';
export { parseSoapAction } from './parse-soap-action.ts';
export { isSoaCode, SOA_CODES, type SoaCode, type SoaCodeInfo } from './soa-codes.ts';
export { formatSoapAction } from './soap-action.ts';
export { type SoapCallOptions, soapCall } from './soap-call.ts';
export { SoapFaultError } from './soap-fault-error.ts';
export * as swa from './swa/index.ts';
export type {
  CbssFault,
  CbssFaultDetail,
  InformationCbss,
  ParsedEnvelope,
  SoaErrorDetail,
  SoapFault,
} from './types.ts';
