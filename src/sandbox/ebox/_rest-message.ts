import { isValidInss } from '../../pki/ids/inss.ts';
import { _RestRefusal } from './_rest-refusal.ts';

/** What the sandbox uses of a MessageToPublish (swagger v2.1 definition) once checked. */
export interface _MessageToPublish {
  readonly ssin: string;
  readonly subject: { readonly lang: 'fr' | 'nl' | 'de'; readonly text: string };
  readonly messageTypeId: string;
  readonly senderOrganizationId: string | undefined;
  readonly senderApplicationId: string | undefined;
  readonly expirationDate: string | undefined;
  readonly attachments: readonly {
    readonly httpPartName: string;
    readonly mainContent: boolean;
    readonly title: string | undefined;
    /** base64url SHA-256 (digestMethod sha_256). */
    readonly digest: string | undefined;
  }[];
}

const invalid = (message: string, reason = 'invalid-input'): never => {
  throw new _RestRefusal(400, 'INVALID_INPUT', message, reason);
};

function _noNulls(value: unknown, path: string): void {
  if (value === null) invalid(`${path} is null: leave the property out instead`, 'null-value');
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) _noNulls(v, `${path}[${i}]`);
  } else if (typeof value === 'object')
    for (const [k, v] of Object.entries(value as object)) _noNulls(v, `${path}.${k}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A TranslatedString with exactly one of fr/nl/de (citizens: one language), at most `max` characters. */
function _oneLanguage(value: unknown, name: string, max: number): { lang: 'fr' | 'nl' | 'de'; text: string } {
  if (!isObject(value)) return invalid(`${name} must be an object with one of fr, nl, de`);
  const langs = (['fr', 'nl', 'de'] as const).filter((l) => value[l] !== undefined);
  if (langs.length !== 1)
    return invalid(`${name} must hold exactly one language (fr, nl or de)`, 'languages');
  const lang = langs[0]!;
  const text = value[lang];
  if (typeof text !== 'string' || text.trim() === '' || [...text].length > max)
    return invalid(`${name}.${lang} must be a non-empty string of at most ${max} characters`);
  return { lang, text };
}

const optString = (o: Record<string, unknown>, name: string): string | undefined => {
  const v = o[name];
  if (v !== undefined && typeof v !== 'string') invalid(`${name} must be a string`);
  return v as string | undefined;
};
const optBoolean = (o: Record<string, unknown>, name: string): boolean | undefined => {
  const v = o[name];
  if (v !== undefined && typeof v !== 'boolean') invalid(`${name} must be a boolean`);
  return v as boolean | undefined;
};

/**
 * Checks the `messageToPublish` part (PROTOCOLS.md §7, swagger MessageToPublish): JSON object,
 * no null anywhere, recipient{eboxType citizen, eboxIdValue a valid SSIN}, subject in one
 * language ≤ 400, messageTypeId, senderOrganizationId `[0-1][0-9]{9}`, attachments with unique
 * httpPartName among upfile1..6, digest sha_256 base64url, exactly one main content (an attachment
 * or the body). Every failure: 400 INVALID_INPUT.
 */
export function _messageToPublish(text: string): _MessageToPublish {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid('messageToPublish is not valid JSON', 'json');
  }
  if (!isObject(json)) return invalid('messageToPublish must be a JSON object');
  _noNulls(json, 'messageToPublish');
  for (const name of ['recipient', 'subject', 'bodyMainContent', 'replyAuthorized'])
    if (json[name] === undefined) invalid(`${name} is required`);
  const recipient = json['recipient'];
  if (
    !isObject(recipient) ||
    recipient['eboxType'] !== 'citizen' ||
    typeof recipient['eboxIdValue'] !== 'string'
  )
    return invalid('recipient must be {eboxType: "citizen", eboxIdValue: SSIN}: the sandbox serves citizens');
  const ssin = recipient['eboxIdValue'];
  if (!/^\d{11}$/.test(ssin) || !isValidInss(ssin))
    return invalid('recipient.eboxIdValue is not a valid SSIN', 'ssin');
  const subject = _oneLanguage(json['subject'], 'subject', 400);
  const messageTypeId = optString(json, 'messageTypeId');
  if (messageTypeId === undefined || messageTypeId === '') return invalid('messageTypeId is required');
  const org = optString(json, 'senderOrganizationId');
  if (org !== undefined && !/^[0-1][0-9]{9}$/.test(org))
    invalid('senderOrganizationId must match [0-1][0-9]{9}');
  const bodyMain = optBoolean(json, 'bodyMainContent') ?? false;
  optBoolean(json, 'replyAuthorized');
  const body =
    json['bodyContent'] === undefined ? undefined : _oneLanguage(json['bodyContent'], 'bodyContent', 100_000);
  if (bodyMain && body === undefined) invalid('bodyMainContent is true but there is no bodyContent');
  const expirationDate = optString(json, 'expirationDate');
  if (expirationDate !== undefined && Number.isNaN(Date.parse(expirationDate)))
    invalid('expirationDate must be a date-time');
  const list = json['attachments'] ?? [];
  if (!Array.isArray(list) || list.length > 6) return invalid('attachments must be an array of at most 6');
  const names = new Set<string>();
  const attachments = list.map((a: unknown, i) => {
    if (!isObject(a)) return invalid(`attachments[${i}] must be an object`);
    const httpPartName = optString(a, 'httpPartName');
    if (httpPartName === undefined || !/^upfile[1-6]$/.test(httpPartName) || names.has(httpPartName))
      return invalid(`attachments[${i}].httpPartName must be a distinct upfile1..upfile6`);
    names.add(httpPartName);
    const mainContent = optBoolean(a, 'mainContent');
    if (mainContent === undefined) return invalid(`attachments[${i}].mainContent is required`);
    optBoolean(a, 'attachmentSigned');
    let digest: string | undefined;
    if (a['digest'] !== undefined) {
      const d = a['digest'];
      if (!isObject(d) || d['digestMethod'] !== 'sha_256' || typeof d['digestValue'] !== 'string')
        return invalid(
          `attachments[${i}].digest must be {digestMethod: "sha_256", digestValue}`,
          'digest-method',
        );
      if (!/^[A-Za-z0-9_-]{43}=?$/.test(d['digestValue']))
        return invalid(`attachments[${i}].digest.digestValue must be a base64url SHA-256`);
      digest = d['digestValue'].replace(/=$/, '');
    }
    const title =
      a['attachmentTitle'] === undefined
        ? undefined
        : _oneLanguage(a['attachmentTitle'], `attachments[${i}].attachmentTitle`, 400).text;
    return { httpPartName, mainContent, title, digest };
  });
  const mains = attachments.filter((a) => a.mainContent).length + (bodyMain ? 1 : 0);
  if (mains !== 1) invalid(`exactly one main content is required (found ${mains})`, 'main-content');
  return {
    ssin,
    subject,
    messageTypeId,
    senderOrganizationId: org,
    senderApplicationId: optString(json, 'senderApplicationId'),
    expirationDate,
    attachments,
  };
}
