import { parseXsDateTime } from '../datetime.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { readSubject } from './_read-subject.ts';
import { requiredAttribute, samlInvalid, textOf } from './_util.ts';
import { SAML1 } from './constants.ts';
import type { AssertionInfo, AssertionKeys, SamlAttribute } from './types.ts';

const STATEMENTS = ['AuthenticationStatement', 'AttributeStatement'];

/** A strict xsd:dateTime in UTC with a literal Z (SAML 1.1 §1.3.3), as ms since the epoch; else ERR_SAML_INVALID. */
function samlInstant(value: string | undefined, what: string): number {
  const ms = value === undefined ? undefined : parseXsDateTime(value, { utc: true });
  if (ms === undefined) samlInvalid(`${what} is not a UTC date-time (YYYY-MM-DDThh:mm:ss[.fff]Z)`);
  return ms;
}

function readAttributes(statement: Element): SamlAttribute[] {
  const [, ...attrs] = childElements(statement);
  if (attrs.length === 0) samlInvalid('An AttributeStatement holds no Attribute');
  return attrs.map((a) => {
    if (!isNamed(a, SAML1.ns, 'Attribute'))
      samlInvalid('An AttributeStatement may only hold Attributes after its Subject');
    const values = childElements(a);
    if (values.length === 0 || !values.every((v) => isNamed(v, SAML1.ns, 'AttributeValue'))) {
      samlInvalid('An Attribute must hold one or more AttributeValues and nothing else');
    }
    return {
      name: requiredAttribute(a, 'AttributeName'),
      namespace: requiredAttribute(a, 'AttributeNamespace'),
      values: values.map(textOf),
    };
  });
}

/**
 * Reads a SAML 1.1 assertion strictly, verifying nothing: MajorVersion 1, MinorVersion 1,
 * AssertionID, Issuer, IssueInstant; children Conditions (NotBefore and NotOnOrAfter, no
 * condition elements: an unknown condition cannot be evaluated, so it is refused), one or more
 * AuthenticationStatement / AttributeStatement, then one ds:Signature, nothing else. Every
 * statement names the same subject with a holder-of-key confirmation by the same certificate.
 * Throws ERR_SAML_INVALID.
 */
export function readAssertion(assertion: Element): AssertionInfo & AssertionKeys {
  if (!isNamed(assertion, SAML1.ns, 'Assertion')) samlInvalid('Not a SAML 1.1 Assertion');
  if (
    attributeValue(assertion, null, 'MajorVersion') !== '1' ||
    attributeValue(assertion, null, 'MinorVersion') !== '1'
  ) {
    samlInvalid('Only SAML 1.1 assertions (MajorVersion 1, MinorVersion 1) are accepted');
  }
  const assertionId = requiredAttribute(assertion, 'AssertionID');
  const issuer = requiredAttribute(assertion, 'Issuer');
  const issueInstant = samlInstant(attributeValue(assertion, null, 'IssueInstant'), 'IssueInstant');
  const children = childElements(assertion);
  const [conditions, ...rest] = children;
  const signature = rest.pop();
  if (!isNamed(conditions, SAML1.ns, 'Conditions')) samlInvalid('The assertion must start with Conditions');
  if (!isNamed(signature, NS.ds, 'Signature')) samlInvalid('The assertion must end with its ds:Signature');
  if (childElements(conditions!).length > 0)
    samlInvalid('Conditions with condition elements are not supported (refused)');
  const notBefore = samlInstant(attributeValue(conditions!, null, 'NotBefore'), 'Conditions NotBefore');
  const notOnOrAfter = samlInstant(
    attributeValue(conditions!, null, 'NotOnOrAfter'),
    'Conditions NotOnOrAfter',
  );
  if (notOnOrAfter <= notBefore) samlInvalid('Conditions NotOnOrAfter is not after NotBefore');
  if (rest.length === 0) samlInvalid('The assertion holds no statement');

  let subject: ReturnType<typeof readSubject> | undefined;
  let authenticationMethod: string | undefined;
  const attributes: SamlAttribute[] = [];
  for (const statement of rest) {
    if (statement.namespaceURI !== SAML1.ns || !STATEMENTS.includes(statement.localName ?? '')) {
      samlInvalid(
        'The assertion may only hold AuthenticationStatement and AttributeStatement between Conditions and Signature',
      );
    }
    const s = readSubject(statement);
    if (
      subject &&
      (s.name !== subject.name ||
        s.format !== subject.format ||
        !s.confirmation.raw.equals(subject.confirmation.raw))
    ) {
      samlInvalid('The statements of the assertion name different subjects or confirmation keys');
    }
    subject ??= s;
    if (statement.localName === 'AuthenticationStatement') {
      if (authenticationMethod !== undefined) samlInvalid('More than one AuthenticationStatement');
      authenticationMethod = requiredAttribute(statement, 'AuthenticationMethod');
      samlInstant(attributeValue(statement, null, 'AuthenticationInstant'), 'AuthenticationInstant');
      if (childElements(statement).length !== 1)
        samlInvalid('An AuthenticationStatement holds only its Subject here');
    } else {
      attributes.push(...readAttributes(statement));
    }
  }
  return {
    assertionId,
    issuer,
    issueInstant: new Date(issueInstant),
    subject: subject!.name,
    subjectFormat: subject!.format,
    conditions: { notBefore: new Date(notBefore), notOnOrAfter: new Date(notOnOrAfter) },
    authenticationMethod,
    attributes,
    confirmationCertificate: subject!.confirmation,
  };
}
