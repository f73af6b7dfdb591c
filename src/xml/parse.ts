import { checkXmlDeclaration } from '../utf8.ts';
import type { Document } from './_document.ts';
import { Parser } from './_parser.ts';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './limits.ts';

export interface ParseXmlOptions {
  /** Overrides of DEFAULT_XML_LIMITS. */
  readonly limits?: Partial<XmlLimits>;
}

/**
 * The one XML parser for everything Passerelle verifies or consumes: a strict, non-validating
 * XML 1.0 + Namespaces parser of our own (src/xml/_parser.ts) into Passerelle's DOM. It refuses
 * DOCTYPE and any markup declaration (ERR_XML_DOCTYPE: no entity can be declared or expanded, so
 * no XXE and no billion laughs), processing instructions other than the leading XML declaration
 * (ERR_XML_PROCESSING_INSTRUCTION), content beside the single root element
 * (ERR_XML_MULTIPLE_ROOTS), inputs beyond `limits` (ERR_XML_LIMIT, see DEFAULT_XML_LIMITS) and
 * anything not well-formed or not namespace-well-formed (ERR_XML_MALFORMED): characters outside
 * XML's Char production, undeclared entities or prefixes, repeated attributes, mismatched tags.
 * A leading byte order mark is ignored; an XML declaration naming another encoding than UTF-8
 * is ERR_XML_UNSUPPORTED_ENCODING (the text is already decoded: bytes arrive through decodeXml). A relative namespace name (deprecated by Namespaces in
 * XML, parsed by libxml2 with a warning) is accepted here and refused by excC14n.
 */
export function parseXml(source: string, options: ParseXmlOptions = {}): Document {
  if (typeof source !== 'string') throw new TypeError('parseXml: source must be a string');
  const limits: XmlLimits = options.limits
    ? { ...DEFAULT_XML_LIMITS, ...options.limits }
    : DEFAULT_XML_LIMITS;
  checkXmlDeclaration(source);
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  return new Parser(text, limits).parse();
}
