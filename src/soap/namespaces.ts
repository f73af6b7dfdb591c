import { NS } from '../xml/namespaces.ts';

/** Namespace URIs used by the SOAP layer (PROTOCOLS.md §3, §5). */
export const SOAP_NAMESPACES = Object.freeze({
  /** SOAP 1.1 envelope [confirmed, W3C note]. */
  envelope: NS.soapenv,
  /** SOAP 1.2 envelope: recognised only to refuse it with a clear message. */
  envelope12: 'http://www.w3.org/2003/05/soap-envelope',
  /** eHealth SOA platform errors: SystemError / BusinessError [seed]. */
  soaErrors: 'urn:be:fgov:ehealth:errors:soa:v1',
  /** KSZ-BCSS common types (informationCustomer, CBSSFaultType) [inferred from public clients]. */
  cbssCommon: 'http://kszbcss.fgov.be/types/common/v3',
  xml: NS.xml,
  xmlns: NS.xmlns,
} as const);
