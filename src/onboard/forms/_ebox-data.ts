/**
 * The data of the eBox request forms (seed 003 §1–3, §5; PROTOCOLS.md §2, §7): the sender
 * institution, its application(s) and the document types each may publish, and its check.
 * A sender is the pair (institution CBE, application URN); the URN is the CN of the signing
 * certificate and at most 150 characters (SenderID.Application). The message type, once agreed
 * with the eBox team, is 6–80 characters. Retention and yearly volume are not named by the
 * seed: they are optional and printed only as given.
 */

import { isPasserelleError } from '../../errors.ts';
import { profileSubject, rdnsToString } from '../../pki/index.ts';
import type { EboxEnvironment, EboxTrigger } from './_ebox-labels.ts';
import {
  type CheckedContact,
  cbe,
  contact,
  type FormContact,
  invalid,
  isoDate,
  list,
  oneOf,
  optionalText,
  text,
} from './_fields.ts';

export type { EboxEnvironment, EboxTrigger };

/** Where the completed forms go (seed 003 §4). */
export const EBOX_FORMS_SEND_TO = 'eboxintegration@smals.be';

export interface EboxApplication {
  /** The application identifier (URN): the CN of its signing certificate. */
  readonly urn: string;
  readonly name: string;
  readonly description: string;
  /** The online service whose citizens' requests lead to publications, if any (https URL). */
  readonly onlineServiceUrl?: string;
  /** True when the eBox team already knows this application (seed 003 §2: skip the step). */
  readonly alreadyRegistered?: boolean;
}

export interface EboxDocumentType {
  /** The message type, when already agreed with the eBox team; else printed "to be assigned". */
  readonly messageType?: string;
  readonly names: { readonly fr: string; readonly nl: string; readonly de: string; readonly en?: string };
  readonly description: string;
  /** URN of the application (one of `applications`) that publishes it. */
  readonly application: string;
  readonly trigger: EboxTrigger;
  readonly retentionMonths?: number;
  readonly volumePerYear?: number;
}

export interface EboxFormsData {
  /** Date of the request, YYYY-MM-DD. */
  readonly requestDate: string;
  /** The publication service exists in acceptance and production (seed 003 §6). */
  readonly environments: readonly EboxEnvironment[];
  readonly institution: {
    readonly name: string;
    readonly cbe: string;
    /** True when the institution is already a registered sender (seed 003 §1: skip the step). */
    readonly alreadyRegistered?: boolean;
    readonly contacts: { readonly business: FormContact; readonly technical: FormContact };
  };
  readonly applications: readonly EboxApplication[];
  readonly documentTypes: readonly EboxDocumentType[];
}

export interface CheckedApplication {
  readonly urn: string;
  readonly name: string;
  readonly description: string;
  readonly onlineServiceUrl: string;
  readonly registered: boolean;
  readonly subject: string;
}

export interface CheckedDocumentType {
  readonly messageType: string;
  readonly names: readonly [fr: string, nl: string, de: string, en: string];
  readonly description: string;
  readonly application: string;
  readonly trigger: EboxTrigger;
  readonly retentionMonths: string;
  readonly volumePerYear: string;
}

export interface CheckedEbox {
  readonly requestDate: string;
  readonly environments: readonly EboxEnvironment[];
  readonly name: string;
  readonly cbe: string;
  readonly registered: boolean;
  readonly business: CheckedContact;
  readonly technical: CheckedContact;
  readonly applications: readonly CheckedApplication[];
  readonly documentTypes: readonly CheckedDocumentType[];
}

/** An application URN: it is the CN of the sender certificate, so at most 64 characters. */
function urn(value: unknown, field: string): string {
  const v = text(value, field, { max: 64 });
  if (!/^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$/.test(v))
    return invalid(field, `"${v}" is not a URN (urn:<namespace>:<name>, no spaces)`);
  return v;
}

function httpsUrl(value: unknown, field: string): string {
  const v = optionalText(value, field, { max: 200 });
  if (v === '') return v;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') return invalid(field, `"${v}" is not an https URL`);
  return v;
}

function count(value: unknown, field: string, max: number): string {
  if (value === undefined) return '';
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    return invalid(field, `must be a whole number from 0 to ${max}`);
  return String(value);
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') return invalid(field, 'must be true or false');
  return value;
}

/** The eBox sender subject of one environment, exactly as the kit's CSR carries it (pki profile). */
function senderSubject(
  institution: string,
  cbe: string,
  app: string,
  env: EboxEnvironment,
  f: string,
): string {
  try {
    const marker = env === 'acpt' ? 'ACC' : 'PRD';
    return rdnsToString(profileSubject('ebox', { cbe, institution, app, env: marker }));
  } catch (error) {
    if (isPasserelleError(error) && error.code === 'ERR_PKI_PROFILE_INVALID') {
      const field = error.details?.['field'] === 'institution' ? 'institution.name' : `${f}.urn`;
      return invalid(field, `cannot go in the sender certificate's subject: ${error.message}`, error);
    }
    throw error;
  }
}

export function checkEbox(data: EboxFormsData): CheckedEbox {
  if (typeof data !== 'object' || data === null) throw new TypeError('eBox form data must be an object');
  const inst = data.institution ?? ({} as EboxFormsData['institution']);
  // An OU of the sender certificate: at most 64 characters.
  const name = text(inst.name, 'institution.name', { max: 64 });
  const cbeNumber = cbe(inst.cbe, 'institution.cbe');
  const environments = list(data.environments, 'environments').map((e, i) =>
    oneOf(e, ['acpt', 'prod'] as const, `environments[${i}]`),
  );
  const applications = list(data.applications, 'applications').map((a, i): CheckedApplication => {
    const f = `applications[${i}]`;
    const id = urn(a?.urn, `${f}.urn`);
    const subject = environments.map((e) => `${e}: ${senderSubject(name, cbeNumber, id, e, f)}`).join('\n');
    return {
      urn: id,
      name: text(a.name, `${f}.name`, { max: 100 }),
      description: text(a.description, `${f}.description`, { max: 300, multiline: true }),
      onlineServiceUrl: httpsUrl(a.onlineServiceUrl, `${f}.onlineServiceUrl`),
      registered: flag(a.alreadyRegistered, `${f}.alreadyRegistered`),
      subject,
    };
  });
  applications.forEach((a, i) => {
    if (applications.findIndex((b) => b.urn === a.urn) !== i)
      invalid(`applications[${i}].urn`, `${a.urn} is listed twice`);
  });
  const documentTypes = list(data.documentTypes, 'documentTypes').map((t, i): CheckedDocumentType => {
    const f = `documentTypes[${i}]`;
    const messageType = optionalText(t?.messageType, `${f}.messageType`, { max: 80 });
    if (messageType !== '' && messageType.length < 6) invalid(`${f}.messageType`, 'at least 6 characters');
    const application = text(t.application, `${f}.application`, { max: 150 });
    if (!applications.some((a) => a.urn === application))
      invalid(`${f}.application`, `${application} is not one of the applications of the form`);
    const names = t.names ?? ({} as EboxDocumentType['names']);
    return {
      messageType,
      names: [
        text(names.fr, `${f}.names.fr`, { max: 100 }),
        text(names.nl, `${f}.names.nl`, { max: 100 }),
        text(names.de, `${f}.names.de`, { max: 100 }),
        optionalText(names.en, `${f}.names.en`, { max: 100 }),
      ],
      description: text(t.description, `${f}.description`, { max: 300, multiline: true }),
      application,
      trigger: oneOf(t.trigger, ['citizen', 'institution'] as const, `${f}.trigger`),
      retentionMonths: count(t.retentionMonths, `${f}.retentionMonths`, 600),
      volumePerYear: count(t.volumePerYear, `${f}.volumePerYear`, 1e9),
    };
  });
  return {
    requestDate: isoDate(data.requestDate, 'requestDate'),
    environments: [...new Set(environments)],
    name,
    cbe: cbeNumber,
    registered: flag(inst.alreadyRegistered, 'institution.alreadyRegistered'),
    business: contact(inst.contacts?.business, 'institution.contacts.business'),
    technical: contact(inst.contacts?.technical, 'institution.contacts.technical'),
    applications,
    documentTypes,
  };
}
