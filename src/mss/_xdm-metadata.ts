import { createHash, randomUUID } from 'node:crypto';
import type { CdaDocument } from './cda.ts';

/** XDS ebRIM identifiers (IHE ITI TF-3 §4.2). */
const SUBMISSION_SET_NODE = 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd';
const SUBMISSION_SET_UNIQUE_ID = 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8';
const SUBMISSION_SET_SOURCE_ID = 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832';
const STABLE_DOCUMENT = 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1';
const DOCUMENT_UNIQUE_ID = 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab';
const CLASS_CODE = 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a';
const TYPE_CODE = 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983';
const LOINC = '2.16.840.1.113883.6.1';

export function xmlEscape(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** An OID under 2.25 (ITU-T X.667) from a random UUID: the unique ids of the metadata. */
export function uuidOid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString()}`;
}

function slot(name: string, value: string): string {
  return `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${xmlEscape(value)}</rim:Value></rim:ValueList></rim:Slot>`;
}

function localized(value: string): string {
  return `<rim:Name><rim:LocalizedString value="${xmlEscape(value)}"/></rim:Name>`;
}

function codeClassification(scheme: string, object: string, id: string, doc: CdaDocument): string {
  return (
    `<rim:Classification id="${id}" classificationScheme="${scheme}" classifiedObject="${object}" nodeRepresentation="${xmlEscape(doc.code)}">` +
    slot('codingScheme', doc.codeSystem ?? LOINC) +
    localized(doc.displayName ?? doc.code) +
    '</rim:Classification>'
  );
}

/** `yyyyMMddHHmmss` in UTC, the DTM of XDS. */
export function xdsTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * A minimal XDS ebRIM SubmitObjectsRequest for an XDM subset: the submission set, one
 * ExtrinsicObject per document (mimeType text/xml, SHA-1 `hash` and `size` of the bytes as
 * stored, `URI` the file name in the subset, classCode and typeCode from the CDA code) and the
 * HasMember associations.
 */
export function xdmMetadata(
  docs: readonly { file: string; doc: CdaDocument }[],
  when: Date,
  author?: string,
): string {
  const time = xdsTime(when);
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">',
    '<rim:RegistryObjectList>',
    '<rim:RegistryPackage id="SubmissionSet01" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject">',
    slot('submissionTime', time),
    ...(author ? [slot('intendedRecipient', author)] : []),
    `<rim:ExternalIdentifier id="SubmissionSet01-uid" identificationScheme="${SUBMISSION_SET_UNIQUE_ID}" registryObject="SubmissionSet01" value="${uuidOid()}"/>`,
    `<rim:ExternalIdentifier id="SubmissionSet01-src" identificationScheme="${SUBMISSION_SET_SOURCE_ID}" registryObject="SubmissionSet01" value="1.2.250.1.213.1.1.9"/>`,
    '</rim:RegistryPackage>',
    `<rim:Classification id="SubmissionSet01-class" classifiedObject="SubmissionSet01" classificationNode="${SUBMISSION_SET_NODE}"/>`,
  ];
  docs.forEach(({ file, doc }, i) => {
    const id = `Document${String(i + 1).padStart(2, '0')}`;
    parts.push(
      `<rim:ExtrinsicObject id="${id}" mimeType="text/xml" objectType="${STABLE_DOCUMENT}">`,
      slot('creationTime', time),
      slot('hash', createHash('sha1').update(doc.bytes).digest('hex')),
      slot('size', String(doc.bytes.length)),
      slot('URI', file),
      localized(doc.title ?? doc.displayName ?? doc.code),
      codeClassification(CLASS_CODE, id, `${id}-class`, doc),
      codeClassification(TYPE_CODE, id, `${id}-type`, doc),
      `<rim:ExternalIdentifier id="${id}-uid" identificationScheme="${DOCUMENT_UNIQUE_ID}" registryObject="${id}" value="${uuidOid()}"/>`,
      '</rim:ExtrinsicObject>',
      `<rim:Association id="${id}-member" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="SubmissionSet01" targetObject="${id}">`,
      slot('SubmissionSetStatus', 'Original'),
      '</rim:Association>',
    );
  });
  parts.push('</rim:RegistryObjectList>', '</lcm:SubmitObjectsRequest>', '');
  return parts.join('\n');
}
