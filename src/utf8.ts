import { PasserelleError } from './errors.ts';

/**
 * Received bytes become text in one strict way, so that what is parsed, verified and logged is
 * exactly what was on the wire: never a lossy `buffer.toString('utf8')`, which turns invalid
 * sequences into U+FFFD and lets two different byte strings read as the same text.
 */

const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Strict UTF-8 decoding; one leading byte order mark is dropped (RFC 8259 §8.1 lets a JSON
 * reader ignore it). Bytes that are not UTF-8 throw the decoder's TypeError: callers decode
 * inside the block that maps a malformed body to their domain's code (JSON bodies). XML bodies
 * use `decodeXml`, which throws ERR_XML_* itself.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return STRICT.decode(bytes);
}

/**
 * An XML document received as bytes, as text. Passerelle reads UTF-8 only (the platforms send
 * nothing else, and a second decoder would be a second way to read the signed bytes):
 * - a UTF-16 or UTF-32 document, detected by its byte order mark or its first bytes
 *   (XML 1.0 Appendix F), is ERR_XML_UNSUPPORTED_ENCODING, as is an XML declaration naming
 *   another encoding than UTF-8;
 * - bytes that are not UTF-8 are ERR_XML_ENCODING;
 * - one leading UTF-8 byte order mark is allowed (XML 1.0 §4.3.3) and dropped: it is no part of
 *   the document, and no canonical form includes it. A second one is ERR_XML_ENCODING.
 */
export function decodeXml(bytes: Uint8Array): string {
  const wide = _wideEncoding(bytes);
  if (wide !== undefined) {
    throw new PasserelleError(
      'ERR_XML_UNSUPPORTED_ENCODING',
      `The XML document is ${wide}; UTF-8 is required`,
      {
        details: { encoding: wide },
      },
    );
  }
  // The declaration first (it is ASCII; read from the first bytes): a document declared in
  // another encoding is refused as such, even when its bytes are not UTF-8 either.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const head = bytes.subarray(bom, Math.min(bytes.byteLength, bom + 256));
  checkXmlDeclaration(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'));
  let text: string;
  try {
    text = STRICT.decode(bytes);
  } catch (cause) {
    throw new PasserelleError('ERR_XML_ENCODING', 'The XML document is not valid UTF-8', {
      hint: 'The sender must encode the document in UTF-8 (and declare it so, or not at all).',
      details: { bytes: bytes.byteLength },
      cause,
    });
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new PasserelleError('ERR_XML_ENCODING', 'The XML document starts with two byte order marks');
  }
  return text;
}

const ENCODING = /[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/;

/**
 * Refuses an XML declaration whose encoding pseudo-attribute names another encoding than UTF-8
 * (ERR_XML_UNSUPPORTED_ENCODING); text without a declaration, or without an encoding in it, is
 * UTF-8 by definition. The declaration's syntax itself is the parser's business.
 */
export function checkXmlDeclaration(text: string): void {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('<?xml', start) || !/[ \t\r\n]/.test(text.charAt(start + 5))) return;
  const end = text.indexOf('?>', start);
  const declaration = text.slice(start, end < 0 ? start + 200 : end);
  const m = ENCODING.exec(declaration);
  const name = m === null ? undefined : (m[1] ?? m[2] ?? '');
  if (name !== undefined && !/^utf-8$/i.test(name)) {
    throw new PasserelleError(
      'ERR_XML_UNSUPPORTED_ENCODING',
      'The XML declaration names another encoding than UTF-8',
      {
        hint: 'The sender must encode the document in UTF-8 (and declare it so, or not at all).',
        details: { encoding: name.slice(0, 40) },
      },
    );
  }
}

/** UTF-16 / UTF-32, by byte order mark or by the first character "<" (XML 1.0 Appendix F). */
function _wideEncoding(b: Uint8Array): string | undefined {
  if (b.length < 2) return undefined;
  if (b[0] === 0 && b[1] === 0) return 'UTF-32';
  if (b[0] === 0xff && b[1] === 0xfe) return b[2] === 0 && b[3] === 0 ? 'UTF-32' : 'UTF-16';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16';
  if (b[0] === 0 && b[1] === 0x3c) return 'UTF-16';
  if (b[0] === 0x3c && b[1] === 0) return b[2] === 0 && b[3] === 0 ? 'UTF-32' : 'UTF-16';
  return undefined;
}
