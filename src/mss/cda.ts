import { basename } from 'node:path';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { readInputFile } from '../input-file.ts';
import { decodeXml } from '../utf8.ts';
import { attributeValue, childElements, isNamed, parseXml } from '../xml/index.ts';

/** HL7 v3, the namespace of CDA R2. */
export const HL7_V3_NS = 'urn:hl7-org:v3';

/**
 * The OIDs of the INS (Identifiant National de Santé) in `patientRole/id/@root`: INS-NIR and
 * INS-NIA in production, and their test counterparts (ANS, CI-SIS "Volet INS").
 */
export const INS_OIDS: Readonly<Record<string, string>> = Object.freeze({
  '1.2.250.1.213.1.4.8': 'INS-NIR',
  '1.2.250.1.213.1.4.9': 'INS-NIA',
  '1.2.250.1.213.1.4.10': 'INS-NIR (test)',
  '1.2.250.1.213.1.4.11': 'INS-NIA (test)',
});

/** What an MSSanté message needs of one CDA document. */
export interface CdaDocument {
  /** The file's base name (diagnostics only). */
  readonly name: string;
  /** The document's bytes, unchanged (they are what the XDM archive holds and hashes). */
  readonly bytes: Buffer;
  /** `ClinicalDocument/code/@code` (LOINC for French CDA), e.g. `11488-4`. */
  readonly code: string;
  readonly codeSystem?: string;
  readonly displayName?: string;
  /** `ClinicalDocument/title`, when present. */
  readonly title?: string;
  /** Whether `recordTarget/patientRole/id/@root` is an INS OID (see INS_OIDS). */
  readonly ins: boolean;
  /** The INS OID found, when `ins`. */
  readonly insRoot?: string;
}

function invalid(name: string, why: string, cause?: unknown): PasserelleError {
  return new PasserelleError('ERR_MSS_CDA_INVALID', `${name} is not a usable CDA document: ${why}`, {
    details: { file: name },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Reads a CDA R2 document from its bytes with the hardened XML parser (no DOCTYPE, limits):
 * root `ClinicalDocument` in `urn:hl7-org:v3`, a `code` with `@code`. ERR_MSS_CDA_INVALID
 * otherwise (the XML error as cause).
 */
export function parseCda(bytes: Buffer, name = 'document'): CdaDocument {
  let root: ReturnType<typeof parseXml>['documentElement'];
  try {
    root = parseXml(decodeXml(bytes)).documentElement;
  } catch (e) {
    if (isPasserelleError(e) && e.code.startsWith('ERR_XML'))
      throw invalid(name, `not well-formed XML (${e.code})`, e);
    throw e;
  }
  if (!isNamed(root, HL7_V3_NS, 'ClinicalDocument'))
    throw invalid(name, 'the root element is not ClinicalDocument in urn:hl7-org:v3');
  const codeEl = childElements(root, HL7_V3_NS, 'code')[0];
  const code = codeEl ? attributeValue(codeEl, null, 'code')?.trim() : undefined;
  if (!codeEl || !code) throw invalid(name, 'ClinicalDocument/code/@code is missing');
  if (!/^[\x21-\x7e]{1,64}$/.test(code) || code.includes(','))
    throw invalid(name, 'ClinicalDocument/code/@code is not a code (printable, no comma, no space)');
  const titleEl = childElements(root, HL7_V3_NS, 'title')[0];
  const title = titleEl?.textContent?.trim();
  let insRoot: string | undefined;
  for (const rt of childElements(root, HL7_V3_NS, 'recordTarget'))
    for (const pr of childElements(rt, HL7_V3_NS, 'patientRole'))
      for (const id of childElements(pr, HL7_V3_NS, 'id')) {
        const oid = attributeValue(id, null, 'root');
        const ext = attributeValue(id, null, 'extension');
        if (insRoot === undefined && oid && INS_OIDS[oid] && ext?.trim()) insRoot = oid;
      }
  const codeSystem = attributeValue(codeEl, null, 'codeSystem');
  const displayName = attributeValue(codeEl, null, 'displayName');
  return {
    name,
    bytes,
    code,
    ...(codeSystem ? { codeSystem } : {}),
    ...(displayName ? { displayName } : {}),
    ...(title ? { title } : {}),
    ins: insRoot !== undefined,
    ...(insRoot ? { insRoot } : {}),
  };
}

/** Reads a CDA file (ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE, then as parseCda). */
export async function readCda(file: string): Promise<CdaDocument> {
  const bytes = await readInputFile(file, { what: 'CDA document', setting: '--cda' });
  return parseCda(bytes, basename(file));
}
