import { basename, extname } from 'node:path';
import { PasserelleError } from '../../errors.ts';
import { normalizeCbe } from '../../pki/ids/cbe.ts';
import { validateInss } from '../../pki/ids/inss.ts';
import {
  EBOX_LIMITS,
  EBOX_MIME_TYPES,
  type EboxDigestAlgorithm,
  type EboxDocument,
  type EboxPublication,
} from './publication.ts';

/** A publication checked and completed: what the clients put on the wire. */
export interface ValidatedPublication {
  /** 11 bare digits. */
  readonly recipient: string;
  readonly messageType: string;
  readonly subject: EboxPublication['subject'];
  readonly document: ValidatedDocument;
  readonly annexes: readonly ValidatedDocument[];
  readonly ticket: string | undefined;
  readonly sequence: number | undefined;
  readonly senderApplication: string | undefined;
  /** 10 bare digits. */
  readonly senderInstitution: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly replyAuthorized: boolean;
}

export interface ValidatedDocument {
  readonly path: string;
  readonly fileName: string;
  readonly mime: string;
  readonly digestAlgorithm: EboxDigestAlgorithm;
}

export interface ValidatePublicationOptions {
  /** Which client will send it: SOAP refuses annexes and needs a ticket; REST takes both. */
  readonly transport: 'soap' | 'rest';
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
  '.xml': 'text/xml',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.odp': 'application/vnd.oasis.opendocument.presentation',
  '.odg': 'application/vnd.oasis.opendocument.graphics',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Characters a header or an XML text cannot carry safely (C0 controls but tab, CR, LF; DEL). */
function hasControl(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

function invalid(field: string, reason: string, hint?: string): never {
  throw new PasserelleError('ERR_EBOX_INVALID_INPUT', `eBox publication: ${field} ${reason}`, {
    details: { field, origin: 'client' },
    ...(hint === undefined ? {} : { hint }),
  });
}

function text(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') return invalid(field, 'is missing');
  const length = [...value].length;
  if (value.trim() === '') return invalid(field, 'is empty');
  if (length < min) return invalid(field, `has ${length} characters, at least ${min} are needed`);
  if (length > max) return invalid(field, `has ${length} characters, at most ${max} are allowed`);
  if (hasControl(value)) return invalid(field, 'contains control characters');
  return value;
}

function document(field: string, doc: EboxDocument | undefined): ValidatedDocument {
  if (doc === undefined || typeof doc.path !== 'string' || doc.path === '')
    return invalid(field, 'is missing (exactly one main content is required)');
  const fileName = text(`${field}.fileName`, doc.fileName ?? basename(doc.path), 1, EBOX_LIMITS.fileName);
  if (/[/\\]/.test(fileName)) invalid(`${field}.fileName`, 'must be a bare file name, without a directory');
  const mime = doc.mime ?? EXTENSIONS[extname(fileName).toLowerCase()];
  if (mime === undefined)
    return invalid(`${field}.mime`, `cannot be inferred from "${fileName}"`, 'Give the MIME type (--mime).');
  if (!(EBOX_MIME_TYPES as readonly string[]).includes(mime))
    invalid(
      `${field}.mime`,
      `"${mime}" is not a type the eBox accepts`,
      `Use one of: ${EBOX_MIME_TYPES.join(', ')}.`,
    );
  const digestAlgorithm = doc.digestAlgorithm ?? 'SHA-256';
  if (digestAlgorithm !== 'SHA-256' && digestAlgorithm !== 'SHA-512') {
    throw new PasserelleError(
      'ERR_EBOX_DIGEST_ALGORITHM',
      `eBox publication: the digest algorithm ${String(digestAlgorithm)} is refused`,
      { details: { field: `${field}.digestAlgorithm`, origin: 'client' } },
    );
  }
  return { path: doc.path, fileName, mime, digestAlgorithm };
}

/**
 * Checks a publication before anything is sent (PROTOCOLS.md §7): the recipient's INSS checksum
 * (ERR_IDS_INSS_INVALID), the sender CBE (ERR_IDS_CBE_INVALID), then the contract's bounds —
 * subject in exactly one language and at most 400 characters, message type 6–80, file names at
 * most 80, a MIME type the eBox accepts, exactly one main content, ticket and sequence — each
 * refusal an ERR_EBOX_INVALID_INPUT whose details.field names the field. Files are not opened
 * here (the clients check them when they read them).
 */
export function validatePublication(
  input: EboxPublication,
  options: ValidatePublicationOptions,
): ValidatedPublication {
  if (input === null || typeof input !== 'object')
    throw new TypeError('validatePublication: give a publication');
  const { transport } = options;
  if (typeof input.recipient !== 'string') invalid('recipient', 'is missing');
  const recipient = validateInss(input.recipient).inss;
  const messageType = text(
    'messageType',
    input.messageType,
    EBOX_LIMITS.messageTypeMin,
    EBOX_LIMITS.messageTypeMax,
  );
  const subject = input.subject as unknown;
  if (subject === null || typeof subject !== 'object') return invalid('subject', 'is missing');
  const keys = Object.keys(subject);
  if (keys.length !== 2 || !keys.includes('lang') || !keys.includes('text'))
    invalid('subject', 'must be in exactly one language: { lang, text }');
  const { lang } = input.subject;
  if (lang !== 'fr' && lang !== 'nl' && lang !== 'de') invalid('subject.lang', 'must be fr, nl or de');
  text('subject.text', input.subject.text, 1, EBOX_LIMITS.subject);
  const main = document('document', input.document);
  const annexes = (input.annexes ?? []).map((a, i) => document(`annexes[${i}]`, a));
  if (transport === 'soap' && annexes.length > 0)
    invalid('annexes', 'are not supported by EBoxMessage for citizens (send them over REST)');
  if (annexes.length > EBOX_LIMITS.annexes)
    invalid('annexes', `are ${annexes.length}, at most 5 are allowed`);
  const ticket = input.ticket === undefined ? undefined : text('ticket', input.ticket, 1, EBOX_LIMITS.ticket);
  if (transport === 'soap' && ticket === undefined)
    invalid('ticket', 'is missing (with the sequence, it identifies the publication)');
  const { sequence } = input;
  if (
    sequence !== undefined &&
    (!Number.isSafeInteger(sequence) || sequence < 0 || sequence > EBOX_LIMITS.sequenceMax)
  )
    invalid('sequence', `must be an integer from 0 to ${EBOX_LIMITS.sequenceMax}`);
  const senderApplication =
    input.senderApplication === undefined
      ? undefined
      : text('senderApplication', input.senderApplication, 1, EBOX_LIMITS.application);
  const senderInstitution =
    input.senderInstitution === undefined ? undefined : normalizeCbe(input.senderInstitution);
  if (senderInstitution !== undefined && senderApplication === undefined)
    invalid('senderApplication', 'is missing: a SenderID names both the application and the institution');
  const { idempotencyKey } = input;
  if (idempotencyKey !== undefined && !/^[\x21\x23-\x5b\x5d-\x7e ]{1,255}$/.test(idempotencyKey))
    invalid('idempotencyKey', 'must be 1 to 255 printable ASCII characters without " or \\');
  return {
    recipient,
    messageType,
    subject: { lang, text: input.subject.text },
    document: main,
    annexes,
    ticket,
    sequence,
    senderApplication,
    senderInstitution,
    idempotencyKey,
    replyAuthorized: input.replyAuthorized ?? false,
  };
}
