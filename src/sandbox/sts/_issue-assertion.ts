import { randomBytes, type X509Certificate } from 'node:crypto';
import type { Credential } from '../../pki/credential.ts';
import { issuerDn, subjectDn } from '../../pki/dn.ts';
import { SAML1 } from '../../saml/constants.ts';
import { NS } from '../../xml/namespaces.ts';
import { createDocument, type Document, type Element } from '../../xml/node.ts';
import { serializeXml } from '../../xml/serialize.ts';
import { signAssertionElement } from './_sign-assertion.ts';

export interface IssueAssertionOptions {
  /** The STS key and certificate that sign the assertion. */
  readonly signer: Credential;
  /** The requester's certificate: subject and holder-of-key confirmation key. */
  readonly subject: X509Certificate;
  /** Attribute name → value, in order (AttributeNamespace chosen per name, see below). */
  readonly attributes: readonly (readonly [name: string, value: string])[];
  /** Issue time, ms since the epoch. */
  readonly now: number;
  readonly lifetimeSeconds: number;
  /** Default: `now` minus 5 minutes, as the platform's examples show [seed]. */
  readonly notBefore?: number;
  readonly issuer?: string;
  readonly assertionId?: string;
}

export interface IssuedAssertion {
  readonly xml: string;
  readonly element: Element;
  readonly assertionId: string;
  readonly notOnOrAfter: number;
}

const CERTIFIED = 'urn:be:fgov:ehealth:1.0:certificateholder:';

function el(
  doc: Document,
  name: string,
  attrs: Record<string, string> = {},
  children: (Element | string)[] = [],
): Element {
  const e = doc.createElementNS(SAML1.ns, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  return e;
}

function subjectElement(doc: Document, subject: X509Certificate, issuerName: string): Element {
  const keyInfo = doc.createElementNS(NS.ds, 'ds:KeyInfo');
  keyInfo.setAttributeNS(NS.xmlns, 'xmlns:ds', NS.ds);
  const data = doc.createElementNS(NS.ds, 'ds:X509Data');
  const cert = doc.createElementNS(NS.ds, 'ds:X509Certificate');
  cert.appendChild(doc.createTextNode(subject.raw.toString('base64')));
  data.appendChild(cert);
  keyInfo.appendChild(data);
  return el(doc, 'Subject', {}, [
    el(doc, 'NameIdentifier', { Format: SAML1.x509SubjectName, NameQualifier: issuerName }, [
      subjectDn(subject),
    ]),
    el(doc, 'SubjectConfirmation', {}, [el(doc, 'ConfirmationMethod', {}, [SAML1.holderOfKey]), keyInfo]),
  ]);
}

/**
 * Builds and signs a SAML 1.1 holder-of-key assertion the way the eHealth STS shapes it
 * (PROTOCOLS.md §4): default-namespace `Assertion` with AssertionID, Issuer, IssueInstant;
 * Conditions; an AuthenticationStatement (X509-PKI) and an AttributeStatement, each with the
 * requester as Subject and a holder-of-key SubjectConfirmation carrying its certificate; then
 * the enveloped signature. Certified attributes (`...:certificateholder:...`) get the certified
 * AttributeNamespace, others the identification one [inferred].
 */
export function issueAssertion(o: IssueAssertionOptions): IssuedAssertion {
  const { signer, subject, attributes, now, lifetimeSeconds, issuer = SAML1.ehealthIssuer } = o;
  const assertionId = o.assertionId ?? `_${randomBytes(16).toString('hex')}`;
  const notBefore = o.notBefore ?? now - 5 * 60_000;
  const notOnOrAfter = now + lifetimeSeconds * 1000;
  const doc = createDocument(SAML1.ns, 'Assertion');
  const assertion = doc.documentElement!;
  assertion.setAttributeNS(NS.xmlns, 'xmlns', SAML1.ns);
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const [k, v] of Object.entries({
    AssertionID: assertionId,
    IssueInstant: iso(now),
    Issuer: issuer,
    MajorVersion: '1',
    MinorVersion: '1',
  })) {
    assertion.setAttribute(k, v);
  }
  const issuerName = issuerDn(subject);
  assertion.appendChild(
    el(doc, 'Conditions', { NotBefore: iso(notBefore), NotOnOrAfter: iso(notOnOrAfter) }),
  );
  assertion.appendChild(
    el(
      doc,
      'AuthenticationStatement',
      { AuthenticationInstant: iso(now), AuthenticationMethod: SAML1.x509Pki },
      [subjectElement(doc, subject, issuerName)],
    ),
  );
  const statement = el(doc, 'AttributeStatement', {}, [subjectElement(doc, subject, issuerName)]);
  for (const [name, value] of attributes) {
    const namespace = name.startsWith(CERTIFIED) ? SAML1.certifiedNamespace : SAML1.identificationNamespace;
    const v = el(doc, 'AttributeValue', {}, [value]);
    v.setAttributeNS(NS.xmlns, 'xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance');
    v.setAttributeNS(NS.xmlns, 'xmlns:xs', 'http://www.w3.org/2001/XMLSchema');
    v.setAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'xsi:type', 'xs:string');
    statement.appendChild(el(doc, 'Attribute', { AttributeName: name, AttributeNamespace: namespace }, [v]));
  }
  assertion.appendChild(statement);
  signAssertionElement(assertion, assertionId, signer);
  return { xml: serializeXml(assertion), element: assertion, assertionId, notOnOrAfter };
}
