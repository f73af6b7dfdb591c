import { X509Certificate } from 'node:crypto';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { base64Content } from '../xmldsig/base64.ts';
import { samlInvalid, textOf } from './_util.ts';
import { SAML1 } from './constants.ts';

export interface ReadSubject {
  readonly name: string;
  readonly format: string | undefined;
  readonly confirmation: X509Certificate;
}

function confirmationCertificate(confirmation: Element): X509Certificate {
  const [method, keyInfo, ...rest] = childElements(confirmation);
  if (!isNamed(method, SAML1.ns, 'ConfirmationMethod') || textOf(method) !== SAML1.holderOfKey) {
    samlInvalid('The SubjectConfirmation must be holder-of-key (one ConfirmationMethod)');
  }
  if (!isNamed(keyInfo, NS.ds, 'KeyInfo') || rest.length > 0)
    samlInvalid('A holder-of-key SubjectConfirmation needs exactly one ds:KeyInfo');
  const data = childElements(keyInfo!);
  if (data.length !== 1 || !isNamed(data[0], NS.ds, 'X509Data'))
    samlInvalid('The confirmation KeyInfo must hold exactly one ds:X509Data');
  const certs = childElements(data[0]!);
  if (certs.length !== 1 || !isNamed(certs[0], NS.ds, 'X509Certificate')) {
    samlInvalid('The confirmation X509Data must hold exactly one ds:X509Certificate');
  }
  try {
    return new X509Certificate(base64Content(certs[0]!, 'X509Certificate'));
  } catch {
    return samlInvalid('The confirmation certificate is not an X.509 certificate');
  }
}

/**
 * Reads the saml:Subject of a statement: exactly one NameIdentifier then exactly one
 * holder-of-key SubjectConfirmation carrying one X.509 certificate. Bearer and sender-vouches
 * confirmations are refused (this toolkit only speaks holder-of-key).
 */
export function readSubject(statement: Element): ReadSubject {
  const [subject] = childElements(statement);
  if (!isNamed(subject, SAML1.ns, 'Subject')) samlInvalid(`${statement.localName} must start with a Subject`);
  const parts = childElements(subject!);
  const [nameId, confirmation] = parts;
  if (
    parts.length !== 2 ||
    !isNamed(nameId, SAML1.ns, 'NameIdentifier') ||
    !isNamed(confirmation, SAML1.ns, 'SubjectConfirmation')
  ) {
    samlInvalid('A Subject must hold one NameIdentifier then one SubjectConfirmation');
  }
  return {
    name: textOf(nameId!),
    format: attributeValue(nameId!, null, 'Format'),
    confirmation: confirmationCertificate(confirmation!),
  };
}
