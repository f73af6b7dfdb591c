import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credential } from '../../src/pki/credential.ts';
import { childElements } from '../../src/xml/dom.ts';
import { NS } from '../../src/xml/namespaces.ts';
import type { Document, Element } from '../../src/xml/node.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';
import { collectIds } from '../../src/xmldsig/ids.ts';
import { fillSignature } from '../../src/xmldsig/sign-core.ts';
import { runPeer } from '../_support/peers.ts';

/** A KSZ-like request envelope (test fixture text, not production XML building). */
export function requestEnvelope(
  opts: { prefix?: string | null; header?: boolean; items?: number } = {},
): string {
  const { prefix = 'soapenv', header = true, items = 2 } = opts;
  const p = prefix === null ? '' : `${prefix}:`;
  const decl = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
  let rows = '';
  for (let i = 0; i < items; i++) {
    rows += `<v1:person xsi:type="v1:PersonType"><v1:ssin>8501010010${i % 10}</v1:ssin><v1:name lang="fr">Dupont &amp; fils &lt;${i}&gt;</v1:name><v1:note>tab\there, line&#10;feed, cr&#13;, "quotes"</v1:note></v1:person>`;
  }
  return (
    `<${p}Envelope ${decl}="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="urn:be:fgov:test:v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    (header ? `<${p}Header/>` : '') +
    `<${p}Body><v1:request v1:version="1" a="x&#9;y"><v1:informationCustomer><v1:ticket>t-1</v1:ticket></v1:informationCustomer>${rows}</v1:request></${p}Body></${p}Envelope>`
  );
}

/**
 * Payload items that repeat their own ID attributes (nothing points at them, as in KSZ payloads),
 * with characters outside the BMP (U+1F600, U+10400) in attribute names, values and text.
 */
export const REPEATED_ID_ITEMS =
  '<v1:item ID="1" v1:\u{1F600}n="\u{1F600}"/><v1:item ID="1" \u{10400}x="\u{10400}\u{1F600}">\u{1F600} \u{10400}</v1:item>' +
  '<v1:item ID="2"/><v1:item ID="2" Id="2"/><v1:item AssertionID="1"/>';

/** `envelope` (a requestEnvelope) with `items` at the start of its request payload. */
export function withPayloadItems(envelope: string, items = REPEATED_ID_ITEMS): string {
  const out = envelope.replace('<v1:informationCustomer>', `${items}<v1:informationCustomer>`);
  if (out === envelope) throw new Error('withPayloadItems: not a requestEnvelope');
  return out;
}

export interface Parts {
  readonly doc: Document;
  readonly envelope: Element;
  readonly header: Element;
  readonly body: Element;
  readonly security: Element;
  readonly signature: Element;
  readonly signedInfo: Element;
  readonly timestamp: Element;
  readonly bst: Element;
}

export function partsOf(doc: Document): Parts {
  const envelope = doc.documentElement!;
  const [header, body] = childElements(envelope);
  const security = childElements(header!, NS.wsse, 'Security')[0]!;
  const signature = childElements(security, NS.ds, 'Signature')[0]!;
  return {
    doc,
    envelope,
    header: header!,
    body: body!,
    security,
    signature,
    signedInfo: childElements(signature, NS.ds, 'SignedInfo')[0]!,
    timestamp: childElements(security, NS.wsu, 'Timestamp')[0]!,
    bst: childElements(security, NS.wsse, 'BinarySecurityToken')[0]!,
  };
}

/** Parses a signed envelope, lets `fn` change the DOM, serialises it again. */
/** An attacker's soapenv:Body with another request, for signature-wrapping cases. */
export function evilBody(p: Parts): Element {
  const evil = p.doc.createElementNS(NS.soapenv, 'soapenv:Body');
  const payload = p.doc.createElementNS('urn:be:fgov:test:v1', 'v1:request');
  payload.setAttributeNS(NS.xmlns, 'xmlns:v1', 'urn:be:fgov:test:v1'); // declared here: not every envelope declares v1
  payload.appendChild(p.doc.createTextNode('transfer everything'));
  evil.appendChild(payload);
  return evil;
}

/** XSW on the Body: `evil` (default evilBody) takes the Body's place, the signed Body goes to the end of `into`. */
export function moveBody(p: Parts, into: Element, evil: Element = evilBody(p)): void {
  p.envelope.replaceChild(evil, p.body);
  into.appendChild(p.body);
}

/** `evil` (default evilBody) given the signed Body's wsu:Id: the duplicate-id attack. */
export function evilBodyWithSignedId(p: Parts, evil: Element = evilBody(p)): Element {
  evil.setAttributeNS(NS.xmlns, 'xmlns:wsu', NS.wsu);
  evil.setAttributeNS(NS.wsu, 'wsu:Id', p.body.getAttributeNS(NS.wsu, 'Id')!);
  return evil;
}

/** XSW on the Timestamp: the signed one moved into a wrapper at the end of Security, an unsigned copy in its place. */
export function wrapTimestamp(p: Parts): void {
  const copy = p.timestamp.cloneNode(true) as Element;
  copy.removeAttributeNS(NS.wsu, 'Id');
  const wrapper = p.doc.createElementNS('urn:x', 'x:Wrapper');
  wrapper.setAttributeNS(NS.xmlns, 'xmlns:x', 'urn:x');
  p.security.replaceChild(copy, p.timestamp);
  wrapper.appendChild(p.timestamp);
  p.security.appendChild(wrapper);
}

export function mutate(xml: string, fn: (p: Parts) => void): string {
  const doc = parseXml(xml);
  fn(partsOf(doc));
  return serializeXml(doc);
}

/** Recomputes every digest and the SignatureValue with `credential` (an attacker holding a key). */
export function resign(p: Parts, credential: Credential): void {
  fillSignature(p.signature, collectIds(p.doc), credential.privateKey);
}

const ID_ATTRS = [`${NS.wsu}:Timestamp`, `${NS.soapenv}:Body`, `${NS.wsse}:BinarySecurityToken`].flatMap(
  (node) => ['--id-attr:Id', node],
);

/** Verifies with libxmlsec1's command-line tool, the signer key given as a certificate. */
export function xmlsec1Verify(dir: string, xml: string, certPem: string) {
  const file = join(dir, `signed-${Math.random().toString(36).slice(2)}.xml`);
  const cert = join(dir, `cert-${Math.random().toString(36).slice(2)}.pem`);
  writeFileSync(file, xml);
  writeFileSync(cert, certPem);
  return runPeer('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, ...ID_ATTRS, file]);
}
