import { checkXmlDeclaration, decodeXml } from '../utf8.ts';

/**
 * The STS reply as text: bytes decoded strictly (`decodeXml`: ERR_XML_ENCODING,
 * ERR_XML_UNSUPPORTED_ENCODING); a string must not declare another encoding than UTF-8.
 */
export function decodeStsReply(body: Buffer | string): string {
  if (typeof body !== 'string') return decodeXml(body);
  checkXmlDeclaration(body);
  return body;
}
