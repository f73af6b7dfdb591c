import type { Document, Element } from '../xml/node.ts';

/** eHealth SOA platform error detail (`urn:be:fgov:ehealth:errors:soa:v1`), PROTOCOLS.md §3. */
export interface SoaErrorDetail {
  readonly kind: 'SystemError' | 'BusinessError';
  /** The `Id` attribute: the platform's correlation id, quote it to the service desk. */
  readonly id: string | undefined;
  /** Who is at fault, e.g. `Consumer`, `Provider`, `Platform`. */
  readonly origin: string | undefined;
  /** `SOA-xxxxx` (or a provider code for a BusinessError). */
  readonly code: string;
  /** The message, English preferred when several languages are given. */
  readonly message: string | undefined;
  readonly lang: string | undefined;
  /** Development, Test, Integration, Acceptation, Simulation or Production. */
  readonly environment: string | undefined;
}

/** One `detail` of a KSZ-BCSS `CBSSFaultType`, PROTOCOLS.md §5. */
export interface CbssFaultDetail {
  readonly severity: string | undefined;
  readonly reasonCode: string | undefined;
  readonly diagnostic: string | undefined;
  readonly authorCode: string | undefined;
}

export interface InformationCbss {
  readonly ticketCBSS: string | undefined;
  readonly timestampReceive: string | undefined;
  readonly timestampReply: string | undefined;
}

/** KSZ-BCSS `CBSSFaultType`: informationCBSS and 1–30 details. */
export interface CbssFault {
  readonly informationCBSS: InformationCbss | undefined;
  readonly details: readonly CbssFaultDetail[];
}

/** A SOAP 1.1 fault with the platform-specific detail, when recognised. */
export interface SoapFault {
  /** The `faultcode` QName as sent, e.g. `soapenv:Client`. */
  readonly faultcode: string;
  /** The local part of `faultcode`, e.g. `Client`, `Server`. */
  readonly faultcodeLocal: string;
  readonly faultstring: string;
  readonly actor: string | undefined;
  readonly soa: SoaErrorDetail | undefined;
  readonly cbss: CbssFault | undefined;
}

/** A parsed SOAP 1.1 envelope. DOM nodes belong to `document`. */
export interface ParsedEnvelope {
  readonly document: Document;
  readonly envelope: Element;
  readonly header: Element | undefined;
  readonly body: Element;
  /** The parsed fault, when the Body holds a `soapenv:Fault`. */
  readonly fault: SoapFault | undefined;
}
