import { randomBytes } from 'node:crypto';
import type { Document, Element } from '../xml/node.ts';
import { buildEnvelope } from './build-envelope.ts';
import { SOAP_NAMESPACES } from './namespaces.ts';
import { isSoaCode, SOA_CODES } from './soa-codes.ts';
import type { CbssFaultDetail, InformationCbss } from './types.ts';

export interface BuildSoaErrorOptions {
  readonly kind?: 'SystemError' | 'BusinessError';
  /** The `Id` attribute; default `Id-` + 24 random hex digits, the platform's format. */
  readonly id?: string;
  /** Default `Consumer`. */
  readonly origin?: string;
  readonly code: string;
  /** Default: the SOA_CODES text for `code`. */
  readonly message?: string;
  /** Default `en`. */
  readonly lang?: string;
  readonly environment: string;
}

export interface BuildCbssFaultOptions {
  readonly informationCBSS?: Partial<InformationCbss>;
  readonly details: readonly CbssFaultDetail[];
}

export interface BuildFaultOptions {
  /** Local part of the faultcode, qualified with the envelope prefix; default `Client`. */
  readonly faultcode?: string;
  /** Default `<code>: <message>` of the SOA detail (e.g. "SOA-01001: Service call not authenticated."). */
  readonly faultstring?: string;
  readonly actor?: string;
  readonly soa?: BuildSoaErrorOptions;
  readonly cbss?: BuildCbssFaultOptions;
  /** Envelope prefix; default `soapenv` as in the platform's replies. */
  readonly prefix?: string;
}

/**
 * Builds a SOAP 1.1 fault envelope with a DOM. With `soa`, the detail is the platform's
 * `urn:SystemError`/`urn:BusinessError` exactly as in PROTOCOLS.md §3 (Id attribute; Origin, Code,
 * Message unqualified; Message with xml:lang; urn:Environment qualified). With `cbss`, a KSZ-BCSS
 * CBSSFaultType (`common:cbssFault` with unqualified children: constructed from the type).
 */
export function buildFault(options: BuildFaultOptions): string {
  const { faultcode = 'Client', actor, soa, cbss, prefix = 'soapenv' } = options;
  const soaMessage = soa === undefined ? undefined : (soa.message ?? _defaultText(soa.code));
  const faultstring = options.faultstring ?? (soa === undefined ? undefined : `${soa.code}: ${soaMessage}`);
  if (faultstring === undefined) throw new TypeError('buildFault: give a faultstring or a soa detail');
  if (!/^[A-Za-z_][A-Za-z0-9._-]*$/.test(faultcode))
    throw new TypeError('buildFault: faultcode must be a local name');

  return buildEnvelope({
    prefix,
    body: (doc) => {
      const fault = doc.createElementNS(SOAP_NAMESPACES.envelope, `${prefix}:Fault`);
      _leaf(doc, fault, null, 'faultcode', `${prefix}:${faultcode}`);
      _leaf(doc, fault, null, 'faultstring', faultstring);
      if (actor !== undefined) _leaf(doc, fault, null, 'faultactor', actor);
      if (soa !== undefined || cbss !== undefined) {
        const detail = doc.createElementNS(null, 'detail');
        if (soa !== undefined) detail.appendChild(_soaError(doc, soa, soaMessage ?? ''));
        if (cbss !== undefined) detail.appendChild(_cbssFault(doc, cbss));
        fault.appendChild(detail);
      }
      return fault;
    },
  });
}

function _defaultText(code: string): string {
  return isSoaCode(code) ? SOA_CODES[code].text : 'Service error.';
}

function _leaf(doc: Document, parent: Element, ns: string | null, name: string, text: string): Element {
  const element = doc.createElementNS(ns, name);
  element.appendChild(doc.createTextNode(text));
  parent.appendChild(element);
  return element;
}

function _soaError(doc: Document, soa: BuildSoaErrorOptions, message: string): Element {
  const ns = SOAP_NAMESPACES.soaErrors;
  const error = doc.createElementNS(ns, `urn:${soa.kind ?? 'SystemError'}`);
  error.setAttribute('Id', soa.id ?? `Id-${randomBytes(12).toString('hex')}`);
  error.setAttributeNS(SOAP_NAMESPACES.xmlns, 'xmlns:urn', ns);
  _leaf(doc, error, null, 'Origin', soa.origin ?? 'Consumer');
  _leaf(doc, error, null, 'Code', soa.code);
  _leaf(doc, error, null, 'Message', message).setAttributeNS(
    SOAP_NAMESPACES.xml,
    'xml:lang',
    soa.lang ?? 'en',
  );
  _leaf(doc, error, ns, 'urn:Environment', soa.environment);
  return error;
}

function _cbssFault(doc: Document, cbss: BuildCbssFaultOptions): Element {
  const ns = SOAP_NAMESPACES.cbssCommon;
  const fault = doc.createElementNS(ns, 'common:cbssFault');
  fault.setAttributeNS(SOAP_NAMESPACES.xmlns, 'xmlns:common', ns);
  const info = cbss.informationCBSS;
  if (info !== undefined) {
    const element = doc.createElementNS(null, 'informationCBSS');
    for (const key of ['ticketCBSS', 'timestampReceive', 'timestampReply'] as const) {
      const value = info[key];
      if (value !== undefined) _leaf(doc, element, null, key, value);
    }
    fault.appendChild(element);
  }
  for (const d of cbss.details) {
    const element = doc.createElementNS(null, 'detail');
    for (const key of ['severity', 'reasonCode', 'diagnostic', 'authorCode'] as const) {
      const value = d[key];
      if (value !== undefined) _leaf(doc, element, null, key, value);
    }
    fault.appendChild(element);
  }
  return fault;
}
