import { PasserelleError } from '../errors.ts';
import type { XmlLimits } from './limits.ts';

const ATTRIBUTE = /\s*([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')/y;
const TAG_NAME = /[^\s/>]+/y;
const TAG_END = /\s*(\/?)>/y;
const XML_DECL = /^<\?xml[\s?]/;
const WHITESPACE = /^[ \t\n\r]*$/;

function fail(
  code: 'ERR_XML_DOCTYPE' | 'ERR_XML_PROCESSING_INSTRUCTION' | 'ERR_XML_MULTIPLE_ROOTS' | 'ERR_XML_MALFORMED',
  message: string,
  at: number,
): never {
  throw new PasserelleError(code, message, { details: { offset: at } });
}

function limit(message: string, at: number): never {
  throw new PasserelleError('ERR_XML_LIMIT', message, {
    hint: 'Raise the limit in the parse options if this input is legitimate.',
    details: { offset: at },
  });
}

/**
 * A linear scan of the raw text that runs before any XML parser sees it. In well-formed XML
 * every `<` outside comments and CDATA sections starts markup (it is forbidden in attribute
 * values and character data), so this scan sees every declaration, processing instruction and
 * tag. It refuses DOCTYPE and any other markup declaration (so no entity is ever declared, let
 * alone expanded), processing instructions other than the leading XML declaration, content
 * outside the single root element, and inputs beyond the depth/attribute/namespace limits.
 * Well-formedness proper is left to the parser that follows.
 */
export function prescanXml(source: string, limits: XmlLimits): void {
  if (source.length > limits.maxSize)
    limit(`XML input of ${source.length} characters exceeds the limit of ${limits.maxSize}`, 0);
  let i = 0;
  let depth = 0;
  let rootSeen = false;
  const n = source.length;
  while (i < n) {
    const lt = source.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (depth === 0 && textEnd > i && !WHITESPACE.test(source.slice(i, textEnd))) {
      fail('ERR_XML_MULTIPLE_ROOTS', 'Text outside the root element', i);
    }
    if (lt < 0) break;
    const c = source.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (source.startsWith('<!--', lt)) {
        const end = source.indexOf('-->', lt + 4);
        if (end < 0) fail('ERR_XML_MALFORMED', 'Unterminated comment', lt);
        i = end + 3;
        continue;
      }
      if (source.startsWith('<![CDATA[', lt)) {
        if (depth === 0) fail('ERR_XML_MULTIPLE_ROOTS', 'CDATA section outside the root element', lt);
        const end = source.indexOf(']]>', lt + 9);
        if (end < 0) fail('ERR_XML_MALFORMED', 'Unterminated CDATA section', lt);
        i = end + 3;
        continue;
      }
      fail('ERR_XML_DOCTYPE', 'Document type and markup declarations (DOCTYPE, ENTITY, ...) are refused', lt);
    }
    if (c === 0x3f /* ? */) {
      if (lt === 0 && XML_DECL.test(source.slice(0, 6))) {
        const end = source.indexOf('?>', 2);
        if (end < 0) fail('ERR_XML_MALFORMED', 'Unterminated XML declaration', lt);
        i = end + 2;
        continue;
      }
      fail(
        'ERR_XML_PROCESSING_INSTRUCTION',
        'Processing instructions are refused (only the leading XML declaration is allowed)',
        lt,
      );
    }
    if (c === 0x2f /* / */) {
      const end = source.indexOf('>', lt + 2);
      if (end < 0) fail('ERR_XML_MALFORMED', 'Unterminated end tag', lt);
      depth -= 1;
      if (depth < 0) fail('ERR_XML_MALFORMED', 'End tag without a start tag', lt);
      i = end + 1;
      continue;
    }
    if (depth === 0 && rootSeen) fail('ERR_XML_MULTIPLE_ROOTS', 'More than one root element', lt);
    TAG_NAME.lastIndex = lt + 1;
    if (!TAG_NAME.exec(source)) fail('ERR_XML_MALFORMED', 'Invalid start tag', lt);
    let p = TAG_NAME.lastIndex;
    let attributes = 0;
    let namespaces = 0;
    for (;;) {
      ATTRIBUTE.lastIndex = p;
      const m = ATTRIBUTE.exec(source);
      if (!m) break;
      attributes += 1;
      const name = m[1]!;
      if (name === 'xmlns' || name.startsWith('xmlns:')) namespaces += 1;
      p = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = p;
    const end = TAG_END.exec(source);
    if (!end) fail('ERR_XML_MALFORMED', 'Invalid start tag', lt);
    if (attributes > limits.maxAttributesPerElement)
      limit(`An element has ${attributes} attributes (limit ${limits.maxAttributesPerElement})`, lt);
    if (namespaces > limits.maxNamespaceDeclarationsPerElement) {
      limit(
        `An element declares ${namespaces} namespaces (limit ${limits.maxNamespaceDeclarationsPerElement})`,
        lt,
      );
    }
    rootSeen = true;
    if (end[1] !== '/') {
      depth += 1;
      if (depth > limits.maxDepth) limit(`Elements nested deeper than ${limits.maxDepth}`, lt);
    }
    i = TAG_END.lastIndex;
  }
  if (!rootSeen) fail('ERR_XML_MALFORMED', 'No root element', 0);
  if (depth !== 0) fail('ERR_XML_MALFORMED', 'Unclosed element', n);
}
