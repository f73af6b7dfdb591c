import { DOMParser, type Document, type Node } from '@xmldom/xmldom';
import { PasserelleError } from '../errors.ts';
import { prescanXml } from './_prescan.ts';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './limits.ts';
import { NS } from './namespaces.ts';

export interface ParseXmlOptions {
  /** Overrides of DEFAULT_XML_LIMITS. */
  readonly limits?: Partial<XmlLimits>;
}

/** XML 1.0 end-of-line handling (§2.11): CRLF and lone CR become LF; nothing else changes. */
const normalizeLineEndings = (text: string): string => text.replace(/\r\n?/g, '\n');

function malformed(message: string, cause?: unknown): never {
  throw new PasserelleError('ERR_XML_MALFORMED', `The XML is not well-formed: ${message.slice(0, 200)}`, {
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Walks the built DOM once: defence in depth behind the prescan, plus checks xmldom does not make. */
function checkTree(doc: Document): void {
  let elements = 0;
  for (let child = doc.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === 10)
      throw new PasserelleError('ERR_XML_DOCTYPE', 'Document type declarations are refused');
    if (child.nodeType === 1) elements += 1;
    if (child.nodeType === 7 && child.nodeName !== 'xml') {
      throw new PasserelleError('ERR_XML_PROCESSING_INSTRUCTION', 'Processing instructions are refused');
    }
    if (child.nodeType === 3 && !/^[ \t\n]*$/.test(child.nodeValue ?? '')) {
      throw new PasserelleError('ERR_XML_MULTIPLE_ROOTS', 'Text outside the root element');
    }
    if (child.nodeType === 4)
      throw new PasserelleError('ERR_XML_MULTIPLE_ROOTS', 'CDATA outside the root element');
  }
  if (elements !== 1)
    throw new PasserelleError('ERR_XML_MULTIPLE_ROOTS', 'A document must have exactly one root element');
  const stack: Node[] = [doc.documentElement as Node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      const type = child.nodeType;
      if (type === 1) stack.push(child);
      else if (type === 7)
        throw new PasserelleError('ERR_XML_PROCESSING_INSTRUCTION', 'Processing instructions are refused');
      else if (type === 5 || type === 6 || type === 10)
        throw new PasserelleError('ERR_XML_DOCTYPE', 'Entities are refused');
    }
    const attrs = (node as Node & { attributes: { length: number; item(i: number): Node | null } })
      .attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.namespaceURI !== NS.xmlns) continue;
      const declared = a.nodeName === 'xmlns' ? '' : (a.localName ?? '');
      const value = a.nodeValue ?? '';
      if (declared !== '' && value === '')
        malformed(`the prefix "${declared}" is undeclared (allowed in XML 1.1 only)`);
      if (declared === 'xmlns' || (declared === 'xml') !== (value === NS.xml))
        malformed('the xml/xmlns prefixes are reserved');
      if (value === NS.xmlns) malformed('the xmlns namespace cannot be declared');
    }
  }
}

/**
 * The one XML parser for everything Passerelle verifies or consumes. It refuses, before any
 * parsing, DOCTYPE and markup declarations (ERR_XML_DOCTYPE, so no entity can be declared or
 * expanded: no XXE, no billion laughs), processing instructions other than the leading XML
 * declaration (ERR_XML_PROCESSING_INSTRUCTION), content beside the single root element
 * (ERR_XML_MULTIPLE_ROOTS) and inputs beyond `limits` (ERR_XML_LIMIT, see DEFAULT_XML_LIMITS).
 * Every warning and error of the underlying parser is fatal (ERR_XML_MALFORMED). A leading byte
 * order mark is ignored.
 */
export function parseXml(source: string, options: ParseXmlOptions = {}): Document {
  if (typeof source !== 'string') throw new TypeError('parseXml: source must be a string');
  const limits: XmlLimits = options.limits
    ? { ...DEFAULT_XML_LIMITS, ...options.limits }
    : DEFAULT_XML_LIMITS;
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  prescanXml(text, limits);
  let doc: Document;
  try {
    doc = new DOMParser({
      locator: false,
      normalizeLineEndings,
      onError: (level, message) => {
        throw new Error(`${level}: ${message}`);
      },
    }).parseFromString(text, 'application/xml');
  } catch (cause) {
    return malformed(
      cause instanceof Error
        ? cause.message.replace(/^Reporting \w+ "(.*)" caused[\s\S]*$/, '$1')
        : 'parse error',
      cause,
    );
  }
  checkTree(doc);
  return doc;
}
