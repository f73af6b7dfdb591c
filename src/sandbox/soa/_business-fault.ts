import { buildEnvelope } from '../../soap/build-envelope.ts';
import { SOAP_NAMESPACES } from '../../soap/namespaces.ts';
import type { Element } from '../../xml/node.ts';

/**
 * A service's own SOAP 1.1 fault (not the gateway's SystemError): `soapenv:<faultcode>`, the
 * faultstring, and `detail` holding a copy of the given element when there is one.
 */
export function _businessFaultXml(fault: {
  readonly faultcode: string;
  readonly faultstring: string;
  readonly detail: Element | undefined;
}): string {
  return buildEnvelope({
    header: () => [],
    body: (doc) => {
      const el = doc.createElementNS(SOAP_NAMESPACES.envelope, 'soapenv:Fault');
      for (const [name, text] of [
        ['faultcode', `soapenv:${fault.faultcode}`],
        ['faultstring', fault.faultstring],
      ] as const) {
        const leaf = doc.createElementNS(null, name);
        leaf.appendChild(doc.createTextNode(text));
        el.appendChild(leaf);
      }
      if (fault.detail !== undefined) {
        const detail = doc.createElementNS(null, 'detail');
        detail.appendChild(doc.importNode(fault.detail, true));
        el.appendChild(detail);
      }
      return el;
    },
  });
}
