/**
 * A job request from what the API (JSON) or the form (urlencoded) received. Every problem is
 * ERR_MSS_CONFORMANCE_TARGET_INVALID with `details.field` naming the input (the target fields
 * of parseTarget, plus operatorName, selection and body).
 */
import { PasserelleError } from '../../../errors.ts';
import { CATALOGUE } from '../catalogue.ts';
import { parseTarget } from '../target.ts';
import type { JobRequest } from './_job-record.ts';

/** The API's POST /api/v1/jobs body. */
export interface JobInput {
  readonly operatorName: string;
  readonly imap: string;
  readonly smtp: string;
  readonly mailbox: string;
  readonly idNat: string;
  /** PEM; default: the application's defaultCa. */
  readonly ca?: string;
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  /** The mailbox the client certificate opens (an applicative mailbox); default `mailbox`. */
  readonly clientCertificateMailbox?: string;
  /** Case ids; default: the whole catalogue. */
  readonly selection?: readonly string[];
}

const KEYS = new Set([
  'operatorName',
  'imap',
  'smtp',
  'mailbox',
  'idNat',
  'ca',
  'clientCertificate',
  'clientCertificateMailbox',
  'selection',
]);
const CASE_IDS = new Set(CATALOGUE.map((c) => c.id));

function invalid(field: string, message: string): PasserelleError {
  return new PasserelleError('ERR_MSS_CONFORMANCE_TARGET_INVALID', message, { details: { field } });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(body: Record<string, unknown>, field: string, optional = false): string | undefined {
  const v = body[field];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw invalid(field, `${field} must be a string`);
  return v;
}

/** The JSON body of POST /api/v1/jobs, its shape checked (unknown fields refused). */
export function inputFromJson(body: unknown): JobInput {
  if (!isRecord(body)) throw invalid('body', 'The body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !KEYS.has(k));
  if (unknown.length > 0)
    throw invalid(unknown[0]!, `Unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}`);
  const cc = body['clientCertificate'];
  if (
    cc !== undefined &&
    !(isRecord(cc) && typeof cc['certPem'] === 'string' && typeof cc['keyPem'] === 'string')
  )
    throw invalid('clientCertificate', 'clientCertificate must be { certPem, keyPem } (PEM strings)');
  const selection = body['selection'];
  if (selection !== undefined && !(Array.isArray(selection) && selection.every((s) => typeof s === 'string')))
    throw invalid('selection', 'selection must be an array of case ids');
  const ca = text(body, 'ca', true);
  const certMailbox = text(body, 'clientCertificateMailbox', true);
  return {
    operatorName: text(body, 'operatorName')!,
    imap: text(body, 'imap')!,
    smtp: text(body, 'smtp')!,
    mailbox: text(body, 'mailbox')!,
    idNat: text(body, 'idNat')!,
    ...(ca === undefined ? {} : { ca }),
    ...(cc === undefined ? {} : { clientCertificate: cc as { certPem: string; keyPem: string } }),
    ...(certMailbox === undefined ? {} : { clientCertificateMailbox: certMailbox }),
    ...(selection === undefined ? {} : { selection: selection as string[] }),
  };
}

/** The form's fields (urlencoded): text fields and the checked `cases`. */
export function inputFromForm(form: Record<string, string | string[]>): JobInput {
  const one = (k: string): string => {
    const v = form[k];
    return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
  };
  const raw = form['cases'];
  const cases = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const certPem = one('clientCert').trim();
  const keyPem = one('clientKey').trim();
  if (certPem !== '' && keyPem === '')
    throw invalid('clientKey', 'Give the client key with the client certificate');
  if (certPem === '' && keyPem !== '')
    throw invalid('clientCertificate', 'Give the client certificate with its key');
  const ca = one('ca').trim();
  const certMailbox = one('clientCertMailbox').trim();
  return {
    operatorName: one('operatorName'),
    imap: one('imap'),
    smtp: one('smtp'),
    mailbox: one('mailbox'),
    idNat: one('idNat'),
    ...(ca === '' ? {} : { ca }),
    ...(certPem === '' ? {} : { clientCertificate: { certPem, keyPem } }),
    ...(certMailbox === '' ? {} : { clientCertificateMailbox: certMailbox }),
    selection: cases,
  };
}

/** The checked request; `defaultCa` stands in for an absent CA. */
export function jobRequestFrom(input: JobInput, defaultCa: string | undefined): JobRequest {
  const operatorName = input.operatorName.trim();
  if (operatorName.length === 0 || operatorName.length > 200 || /\p{Cc}/u.test(operatorName))
    throw invalid('operatorName', 'The operator name must be 1 to 200 characters, on one line');
  let selection: string[] | undefined;
  if (input.selection !== undefined) {
    const unknown = input.selection.find((id) => !CASE_IDS.has(id));
    if (unknown !== undefined)
      throw invalid('selection', `Unknown case ${JSON.stringify(unknown.slice(0, 80))}`);
    selection = CATALOGUE.map((c) => c.id).filter((id) => input.selection!.includes(id));
    if (selection.length === 0) throw invalid('selection', 'Select at least one case');
  }
  const ca = input.ca ?? defaultCa;
  if (ca === undefined) throw invalid('ca', 'Give the CA of the operator’s servers (PEM)');
  const target = parseTarget({
    imap: input.imap,
    smtp: input.smtp,
    mailbox: input.mailbox,
    idNat: input.idNat,
    ca,
    ...(input.clientCertificate === undefined ? {} : { clientCertificate: input.clientCertificate }),
    ...(input.clientCertificateMailbox === undefined
      ? {}
      : { clientCertificateMailbox: input.clientCertificateMailbox }),
  });
  return { operatorName, target, ...(selection === undefined ? {} : { selection }) };
}
