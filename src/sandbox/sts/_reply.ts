import { buildEnvelope } from '../../soap/build-envelope.ts';
import { WST } from '../../sts/constants.ts';
import type { Document, Element } from '../../xml/node.ts';

function wstEl(doc: Document, name: string): Element {
  return doc.createElementNS(WST.ns, `wst:${name}`);
}

/** RSTR carrying the issued assertion (imported by the DOM; the client keeps the bytes it receives). */
export function tokenReply(context: string | undefined, assertion: Element): string {
  return buildEnvelope({
    body: (doc) => {
      const rstr = wstEl(doc, 'RequestSecurityTokenResponse');
      rstr.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wst', WST.ns);
      if (context !== undefined) rstr.setAttribute('Context', context);
      const type = wstEl(doc, 'TokenType');
      type.appendChild(doc.createTextNode(WST.tokenTypeSaml11));
      const requested = wstEl(doc, 'RequestedSecurityToken');
      requested.appendChild(doc.importNode(assertion, true));
      rstr.appendChild(type);
      rstr.appendChild(requested);
      return rstr;
    },
  });
}

/** RSTR with a WS-Trust SignChallenge (WS-Trust 1.3 §8.2). */
export function challengeReply(context: string, challenge: string): string {
  return buildEnvelope({
    body: (doc) => {
      const rstr = wstEl(doc, 'RequestSecurityTokenResponse');
      rstr.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wst', WST.ns);
      rstr.setAttribute('Context', context);
      const sc = wstEl(doc, 'SignChallenge');
      const c = wstEl(doc, 'Challenge');
      c.appendChild(doc.createTextNode(challenge));
      sc.appendChild(c);
      rstr.appendChild(sc);
      return rstr;
    },
  });
}

/** A SOAP 1.1 fault whose faultcode is a WS-Trust QName (wst:InvalidRequest, wst:FailedAuthentication). */
export function trustFault(code: string, message: string): string {
  return buildEnvelope({
    body: (doc) => {
      const fault = doc.createElementNS('http://schemas.xmlsoap.org/soap/envelope/', 'soapenv:Fault');
      fault.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:wst', WST.ns);
      const faultcode = doc.createElementNS(null, 'faultcode');
      faultcode.appendChild(doc.createTextNode(`wst:${code}`));
      const faultstring = doc.createElementNS(null, 'faultstring');
      faultstring.appendChild(doc.createTextNode(message));
      fault.appendChild(faultcode);
      fault.appendChild(faultstring);
      return fault;
    },
  });
}
