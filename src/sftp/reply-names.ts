import { isCalendarDate, nameInvalid } from './_names.ts';
import { type SubmissionKey, validateSubmissionKey } from './names.ts';

/**
 * Names of the files the platform writes back: `FO.<TYPE>.<sender>.<YYYYMMDD>.<sequence>.<R|T>`
 * (a file to receive; `CO.` when it is compressed), possibly followed by more dot-separated
 * parts, e.g. `FO.ACRF.999999.20140628.00001.R` (socialsecurity.be, "Transfert de fichiers par SFTP").
 */
export interface ReplyFileName {
  /** FO = a file you receive, CO = a compressed file you receive. */
  readonly kind: 'FO' | 'CO';
  /** The reply type (ACRF, NOTI, ...): 2 to 8 capital letters or digits. */
  readonly type: string;
  readonly sender: string;
  readonly date: string;
  readonly sequence: string;
  readonly environment: 'R' | 'T';
  /** The whole name as received. */
  readonly name: string;
}

const TYPE_RE = /^[A-Z0-9]{2,8}$/;
/** Up to 8 extra parts of 1–32 letters, digits, `_` or `-` (never `.`, `/`, NUL or spaces). */
const REPLY_RE =
  /^(FO|CO)\.([A-Z0-9]{2,8})\.([A-Za-z0-9]{1,12})\.(\d{8})\.([A-Za-z0-9]{5})\.([RT])((?:\.[A-Za-z0-9_-]{1,32}){0,8})$/;

/**
 * Reads a reply file name; undefined for any name that is not one (other files in the
 * directory, partial uploads, names with an impossible date), so callers can filter a listing.
 */
export function parseReplyFileName(name: string): ReplyFileName | undefined {
  if (typeof name !== 'string' || name.length > 255) return undefined;
  const m = REPLY_RE.exec(name);
  if (!m || !isCalendarDate(m[4]!)) return undefined;
  return {
    kind: m[1] as 'FO' | 'CO',
    type: m[2]!,
    sender: m[3]!,
    date: m[4]!,
    sequence: m[5]!,
    environment: m[6] as 'R' | 'T',
    name,
  };
}

/**
 * The name of a reply of `type` to the submission `key`: `FO.<type>.<sender>.<date>.<sequence>.<env>`
 * (what the sandbox writes). Throws ERR_SFTP_NAME_INVALID for a bad type or key field.
 */
export function replyFileName(type: string, key: SubmissionKey): string {
  if (typeof type !== 'string' || !TYPE_RE.test(type))
    throw nameInvalid('type', 'must be 2 to 8 capital letters or digits');
  validateSubmissionKey(key);
  return `FO.${type}.${key.sender}.${key.date}.${key.sequence}.${key.environment}`;
}

/** Whether a reply answers the submission `key`: same sender, date, sequence and environment. */
export const replyAnswers = (
  reply: Pick<ReplyFileName, 'sender' | 'date' | 'sequence' | 'environment'>,
  key: SubmissionKey,
): boolean =>
  reply.sender === key.sender &&
  reply.date === key.date &&
  reply.sequence === key.sequence &&
  reply.environment === key.environment;
