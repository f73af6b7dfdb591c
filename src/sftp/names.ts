import { FIELDS, nameInvalid } from './_names.ts';

/**
 * File names of social-security SFTP batch submissions (socialsecurity.be, "Transfert de
 * fichiers par SFTP"): `FI.<APP>.<sender>.<YYYYMMDD>.<sequence>.<R|T>.1.1` (data), `FS.<…>.1.1`
 * (its CMS signature), `GO.<…>.1` (empty trigger, written last), `TD.<…>.1` (empty cancel).
 * Every part is matched by an anchored character-class regex, so a name built or accepted here
 * never holds `/`, `\`, `..`, NUL, spaces or control characters.
 */

export const SUBMISSION_KINDS = ['FI', 'FS', 'GO', 'TD'] as const;
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];

/** What identifies one submission; the four files of a submission share it. */
export interface SubmissionKey {
  /** Application code, 4 capital letters or digits (DMFA, DIMN, WECH, ...). */
  readonly app: string;
  /** Sender number, 1–12 letters or digits (usually 6 digits). */
  readonly sender: string;
  /** Creation date of the file, YYYYMMDD (Europe/Brussels calendar): see submissionDate. */
  readonly date: string;
  /** 5 letters or digits, unique per date and environment. */
  readonly sequence: string;
  /** R = real (production), T = test. */
  readonly environment: 'R' | 'T';
}

/**
 * Checks every field of `key` against the platform's naming; throws ERR_SFTP_NAME_INVALID with
 * `details.part` naming the first wrong field.
 */
export function validateSubmissionKey(key: SubmissionKey): void {
  for (const [field, ok, why] of FIELDS) {
    const value: unknown = key[field];
    if (typeof value !== 'string' || !ok(value)) throw nameInvalid(field, why);
  }
}

const stem = (k: SubmissionKey) => `${k.app}.${k.sender}.${k.date}.${k.sequence}.${k.environment}`;

/**
 * The file name of one file of the submission `key`: `FI.….1.1`, `FS.….1.1`, `GO.….1` or
 * `TD.….1`. Throws ERR_SFTP_NAME_INVALID when a field of `key` is not valid; TypeError for an
 * unknown kind (a programming error).
 */
export function submissionFileName(kind: SubmissionKind, key: SubmissionKey): string {
  if (!SUBMISSION_KINDS.includes(kind)) throw new TypeError(`unknown submission file kind ${String(kind)}`);
  validateSubmissionKey(key);
  return `${kind}.${stem(key)}${kind === 'FI' || kind === 'FS' ? '.1.1' : '.1'}`;
}

/**
 * Reads a submission file name back into its kind and key. Throws ERR_SFTP_NAME_INVALID
 * (details: `name`, `part`: kind, app, sender, date, sequence, environment or suffix) for any
 * name that submissionFileName would not produce.
 */
export function parseSubmissionFileName(name: string): { kind: SubmissionKind; key: SubmissionKey } {
  if (typeof name !== 'string' || name.length > 64) throw nameInvalid('name', 'is too long', String(name));
  const [kind = '', app = '', sender = '', date = '', sequence = '', environment = '', ...rest] =
    name.split('.');
  if (!(SUBMISSION_KINDS as readonly string[]).includes(kind))
    throw nameInvalid('kind', 'must be FI, FS, GO or TD', name);
  const key = { app, sender, date, sequence, environment } as SubmissionKey;
  for (const [field, ok, why] of FIELDS) if (!ok(key[field])) throw nameInvalid(field, why, name);
  const suffix = rest.join('.');
  const expected = kind === 'FI' || kind === 'FS' ? '1.1' : '1';
  if (suffix !== expected) throw nameInvalid('suffix', `must be .${expected} for ${kind}`, name);
  return { kind: kind as SubmissionKind, key };
}

const BRUSSELS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The date part of a submission created at `at`: its calendar date in Europe/Brussels, YYYYMMDD
 * (2026-06-14T22:30Z is 20260615 in summer time). TypeError for an invalid Date.
 */
export function submissionDate(at: Date): string {
  if (!(at instanceof Date) || !Number.isFinite(at.getTime()))
    throw new TypeError('submissionDate: invalid Date');
  const parts = Object.fromEntries(BRUSSELS.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts['year']}${parts['month']}${parts['day']}`;
}
