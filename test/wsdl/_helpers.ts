import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attributeList, isElement } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import type { Element } from '../../src/xml/node.ts';

/** The official eBox SOAP contract (contracts/ebox/SOURCE.md). */
export const EBOX_V1 = fileURLToPath(
  new URL('../../contracts/ebox/soap/be/socialsecurity/eboxmessage/v1/', import.meta.url),
);
export const EBOX_MONITORING_XSD = fileURLToPath(
  new URL('../../contracts/ebox/soap/be/fgov/services/monitoring/v1/monitoring-v1.xsd', import.meta.url),
);
/** The project's contracts of its test services. */
export const CONTRACTS = fileURLToPath(new URL('../../contracts/', import.meta.url));

/** Writes `files` (relative path → text) below `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

export interface MiniWsdlOptions {
  /** Children of wsdl:types (schemas). */
  readonly types?: string;
  /** The input element of operation `op` (a QName in the `tns` or `t` namespace). */
  readonly element?: string;
  /** Extra top-level children (imports, policies), written first. */
  readonly head?: string;
  /** Children of the binding before its operation (policy attachments). */
  readonly bindingExtra?: string;
  /** Children of the bound operation's input before soap:body. */
  readonly inputExtra?: string;
  readonly ports?: readonly { readonly name: string; readonly address: string }[];
  readonly soap12?: boolean;
}

/** A small document/literal WSDL 1.1 of one operation `op` (namespace urn:t, prefix tns). */
export function miniWsdl(o: MiniWsdlOptions = {}): string {
  const soapNs = o.soap12
    ? 'http://schemas.xmlsoap.org/wsdl/soap12/'
    : 'http://schemas.xmlsoap.org/wsdl/soap/';
  const ports = o.ports ?? [{ name: 'P', address: 'https://example.test/svc' }];
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions targetNamespace="urn:t" xmlns:tns="urn:t" xmlns:t="urn:t"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="${soapNs}"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy"
    xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
    xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702">
  ${o.head ?? ''}
  <wsdl:types>${o.types ?? '<xs:schema targetNamespace="urn:t"><xs:element name="Req" type="xs:string"/></xs:schema>'}</wsdl:types>
  <wsdl:message name="In"><wsdl:part name="body" element="${o.element ?? 'tns:Req'}"/></wsdl:message>
  <wsdl:portType name="PT"><wsdl:operation name="op"><wsdl:input message="tns:In"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:PT">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    ${o.bindingExtra ?? ''}
    <wsdl:operation name="op">
      <soap:operation soapAction="urn:t:op"/>
      <wsdl:input>${o.inputExtra ?? ''}<soap:body use="literal"/></wsdl:input>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S">
    ${ports.map((p) => `<wsdl:port name="${p.name}" binding="tns:B"><soap:address location="${p.address}"/></wsdl:port>`).join('\n    ')}
  </wsdl:service>
</wsdl:definitions>
`;
}

/** A namespace-aware shape of an element: names, attributes and trimmed text, comments dropped. */
export type Shape = [string, Record<string, string>, (Shape | string)[]];

export function shape(el: Element): Shape {
  const attrs: Record<string, string> = {};
  for (const a of attributeList(el))
    if (a.namespaceURI !== NS.xmlns) attrs[`{${a.namespaceURI ?? ''}}${a.localName}`] = a.value;
  const children: (Shape | string)[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (isElement(c)) children.push(shape(c));
    else if (c.nodeType === 3 || c.nodeType === 4) {
      const text = (c.nodeValue ?? '').trim();
      if (text !== '') children.push(text);
    }
  }
  return [`{${el.namespaceURI ?? ''}}${el.localName}`, attrs, children];
}
