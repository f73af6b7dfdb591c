import { PasserelleError } from '../errors.ts';

/**
 * How the FS file carries the CMS signature (socialsecurity.be: "la signature encodée en base64,
 * soit sur une seule ligne, soit en lignes de 76 caractères séparées par un retour chariot (CR)"),
 * or raw DER as an option.
 */
export type FsEncoding = 'base64' | 'base64-76-cr' | 'der';

/** An FS file larger than this is refused before it is read further. */
export const MAX_FS_BYTES = 1024 * 1024;

export const malformed = (reason: string, cause?: unknown) =>
  new PasserelleError(
    'ERR_SFTP_SIGNATURE_MALFORMED',
    `The FS file is not a readable CMS signature: ${reason}`,
    {
      details: { reason },
      ...(cause === undefined ? {} : { cause }),
    },
  );

/** The FS file bytes of a DER signature in `encoding` (no trailing line break). */
export function encodeFs(der: Buffer, encoding: FsEncoding): Buffer {
  if (encoding === 'der') return der;
  const b64 = der.toString('base64');
  if (encoding === 'base64') return Buffer.from(b64, 'ascii');
  if (encoding !== 'base64-76-cr') throw new TypeError(`unknown FS encoding ${String(encoding)}`);
  return Buffer.from(b64.match(/.{1,76}/g)!.join('\r'), 'ascii');
}

const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The DER inside an FS file: raw DER (starts with a SEQUENCE tag, which base64 text never does:
 * a CMS in base64 starts with "M"), or base64 on one line or in lines separated by CR, LF or
 * CRLF (one optional final line break). Anything else is ERR_SFTP_SIGNATURE_MALFORMED.
 */
export function decodeFs(fs: Uint8Array): Buffer {
  if (fs.length === 0) throw malformed('the file is empty');
  if (fs.length > MAX_FS_BYTES) throw malformed(`the file is larger than ${MAX_FS_BYTES} bytes`);
  if (fs[0] === 0x30) return Buffer.from(fs);
  const text = Buffer.from(fs)
    .toString('latin1')
    .replace(/(?:\r\n|\r|\n)$/, '');
  const lines = text.split(/\r\n|\r|\n/);
  if (!lines.every((l, i) => BASE64_LINE.test(l) && (i === lines.length - 1 || !l.includes('='))))
    throw malformed('neither DER nor base64 (only A–Z a–z 0–9 + / = and line breaks are allowed)');
  const joined = lines.join('');
  const der = Buffer.from(joined, 'base64');
  if (joined.length % 4 !== 0 || der.toString('base64') !== joined)
    throw malformed('base64 that is not canonical');
  if (der[0] !== 0x30) throw malformed('the base64 content is not a DER SEQUENCE');
  return der;
}
