import { PasserelleError } from '../errors.ts';

/** One CDA document of an IHE_XDM attachment, as the headers need it. */
export interface MssCdaSummary {
  /** The CDA `code/@code` (LOINC), e.g. `11488-4`. */
  readonly code: string;
  /** Whether the CDA identifies the patient by an INS (recordTarget/patientRole/id with an INS OID). */
  readonly ins: boolean;
}

export interface MssHeaderOptions {
  /** The software's reference number (`X-MSS-NIL`), sent on every message. */
  readonly nil: string;
  /** The CDA documents of the IHE_XDM attachment, when there is one. */
  readonly cda?: readonly MssCdaSummary[];
  /** `X-MSS-MES: FIN`: a message to a patient address that must not be answered. */
  readonly fin?: boolean;
}

const TOKEN = /^[\x21-\x7e]{1,200}$/;

function checked(name: string, value: string): string {
  if (!TOKEN.test(value))
    throw new PasserelleError(
      'ERR_MSS_CDA_INVALID',
      `The ${name} header value must be printable ASCII without spaces or line breaks`,
      { details: { header: name } },
    );
  return value;
}

/**
 * The MSSanté headers of a message an LPS sends (Référentiel #2, ECO.2.x; PROTOCOLS.md §9):
 * - `X-MSS-NIL` always;
 * - `X-MSS-CODECDA` (the CDA codes in attachment order, comma-separated, repeated codes kept
 *   once) and `X-MSS-INS` only when CDA documents are attached (a non-empty `cda`);
 *   `X-MSS-INS` is `O` when EVERY attached CDA identifies its patient by an INS, `N` otherwise
 *   (our reading: the header tells the receiver it may file all the documents by INS);
 * - `X-MSS-MES: FIN` when `fin`.
 * Values are checked (printable ASCII, no space, no CR/LF: no header injection): ERR_MSS_CDA_INVALID
 * for a bad CDA code, ERR_USAGE for a bad NIL.
 */
export function mssHeaders(options: MssHeaderOptions): Record<string, string> {
  if (!TOKEN.test(options.nil))
    throw new PasserelleError(
      'ERR_USAGE',
      'The X-MSS-NIL value must be printable ASCII without spaces or line breaks (1 to 200 characters)',
      { details: { header: 'X-MSS-NIL' } },
    );
  const headers: Record<string, string> = { 'X-MSS-NIL': options.nil };
  const cda = options.cda ?? [];
  if (cda.length > 0) {
    const codes = [...new Set(cda.map((d) => checked('X-MSS-CODECDA', d.code)))];
    headers['X-MSS-CODECDA'] = codes.join(',');
    headers['X-MSS-INS'] = cda.every((d) => d.ins) ? 'O' : 'N';
  }
  if (options.fin) headers['X-MSS-MES'] = 'FIN';
  return headers;
}

/**
 * Checks caller-supplied extra headers (name a field-name token, value without CR/LF or NUL; not
 * one Passerelle sets itself): ERR_USAGE otherwise.
 */
export function checkExtraHeaders(
  extra: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (!/^[\x21-\x39\x3b-\x7e]{1,76}$/.test(name) || /[\r\n\0]/.test(value) || value.length > 998)
      throw new PasserelleError(
        'ERR_USAGE',
        `The extra header ${JSON.stringify(name.slice(0, 40))} is not a valid header`,
        {
          details: { header: name.slice(0, 40) },
        },
      );
    if (/^x-mss-/i.test(name) || /^(from|to|cc|bcc|subject|message-id|date|sender)$/i.test(name))
      throw new PasserelleError(
        'ERR_USAGE',
        `The header ${name} is set by Passerelle, not as an extra header`,
        {
          details: { header: name },
        },
      );
    out[name] = value;
  }
  return out;
}
