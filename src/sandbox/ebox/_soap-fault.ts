import { randomBytes } from 'node:crypto';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import { SOAP_NAMESPACES } from '../../soap/namespaces.ts';
import { isSoaCode, SOA_CODES } from '../../soap/soa-codes.ts';
import type { _EboxFault } from './_fault.ts';

/** Namespace of the socialsecurity.be SOA platform errors (socsec-errors-schema-v1.xsd) [confirmed]. */
export const EBOX_ERRORS_NS = 'http://socialsecurity.be/errors/v1';
/** The Environment the sandbox puts in its error details (the schema's enumeration). */
const ENVIRONMENT = 'Simulation';

/**
 * The SOAP fault of a refused eBox call, as the eBox WSDL declares it: detail `err:SystemError`
 * or `err:BusinessError` of socsec-errors-schema-v1.xsd (qualified children Origin, Code,
 * Message xml:lang="en", Retry true for a transient code (SOA-02002), Environment=Simulation; attribute Id, `Id-` + 24 hex digits like the
 * gateway's). faultcode soapenv:Client for the caller's faults (SOA-01xxx, SOA-03xxx and business
 * errors), soapenv:Server otherwise; faultstring `<code>: <message>`. Returns the Id and the XML.
 */
export function _eboxFaultXml(fault: _EboxFault): { id: string; xml: string } {
  const id = `Id-${randomBytes(12).toString('hex')}`;
  const client =
    fault.kind === 'BusinessError' || fault.code.startsWith('SOA-01') || fault.code.startsWith('SOA-03');
  const xml = buildEnvelope({
    body: (doc) => {
      const el = doc.createElementNS(SOAP_NAMESPACES.envelope, 'soapenv:Fault');
      const leaf = (parent: typeof el, ns: string | null, name: string, text: string) => {
        const child = doc.createElementNS(ns, name);
        child.appendChild(doc.createTextNode(text));
        parent.appendChild(child);
        return child;
      };
      leaf(el, null, 'faultcode', `soapenv:${client ? 'Client' : 'Server'}`);
      leaf(el, null, 'faultstring', `${fault.code}: ${fault.message}`);
      const detail = doc.createElementNS(null, 'detail');
      const error = doc.createElementNS(EBOX_ERRORS_NS, `err:${fault.kind}`);
      error.setAttributeNS(SOAP_NAMESPACES.xmlns, 'xmlns:err', EBOX_ERRORS_NS);
      error.setAttribute('Id', id);
      leaf(error, EBOX_ERRORS_NS, 'err:Origin', client ? 'Consumer' : 'Provider');
      leaf(error, EBOX_ERRORS_NS, 'err:Code', fault.code);
      leaf(error, EBOX_ERRORS_NS, 'err:Message', fault.message).setAttributeNS(
        SOAP_NAMESPACES.xml,
        'xml:lang',
        'en',
      );
      if (fault.kind === 'SystemError' && isSoaCode(fault.code) && SOA_CODES[fault.code].retryable)
        leaf(error, EBOX_ERRORS_NS, 'err:Retry', 'true');
      leaf(error, EBOX_ERRORS_NS, 'err:Environment', ENVIRONMENT);
      detail.appendChild(error);
      el.appendChild(detail);
      return el;
    },
  });
  return { id, xml };
}
