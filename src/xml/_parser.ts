import { Document } from './_document.ts';
import { Attr, Element } from './_element.ts';
import {
  ATTR_WHITESPACE,
  decodeReferences,
  fail,
  INVALID_CHAR,
  isSpace,
  limit,
  SUSPECT_CHAR,
  XML_DECL,
} from './_lexical.ts';
import { ASCII_NAME_CHAR, isName, isNcName } from './_names.ts';
import { CharacterData, linkBefore } from './_node.ts';
import { lookup, readDeclarations, type Scope } from './_scope.ts';
import type { XmlLimits } from './limits.ts';
import { NS } from './namespaces.ts';

interface Frame {
  readonly el: Element;
  readonly scope: Scope | null;
  /** An empty-element tag (`<a/>`): nothing to close. */
  readonly empty: boolean;
  /** Offset of the start tag's "<". */
  readonly start: number;
}

/**
 * A strict, non-validating XML 1.0 + Namespaces parser into Passerelle's DOM. Refuses DOCTYPE
 * and any markup declaration, processing instructions other than the XML declaration, content
 * beside the single root element, undeclared entities and prefixes, and resource use beyond
 * `limits`. Line ends are normalised (§2.11) and attribute values normalised as CDATA (§3.3.3).
 */
export class Parser {
  readonly #src: string;
  readonly #limits: XmlLimits;
  readonly #doc = new Document();
  #pos = 0;
  readonly #names: string[] = [];
  readonly #values: string[] = [];
  readonly #offsets: number[] = [];
  /** The last QName split by #qname. */
  #prefix = '';
  #local = '';
  /** How many of #names/#values/#offsets belong to the tag being parsed. */
  #count = 0;

  constructor(source: string, limits: XmlLimits) {
    if (source.length > limits.maxSize)
      limit(`XML input of ${source.length} characters exceeds the limit of ${limits.maxSize}`, 0);
    const src = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
    const bad = SUSPECT_CHAR.test(src) ? INVALID_CHAR.exec(src) : null;
    if (bad) {
      const cp = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      fail('ERR_XML_MALFORMED', `U+${cp} is not allowed in XML`, bad.index);
    }
    this.#src = src;
    this.#limits = limits;
    this.#doc.source = src;
  }

  parse(): Document {
    const src = this.#src;
    if (src.startsWith('<?xml') && (isSpace(src.charCodeAt(5)) || src.charCodeAt(5) === 0x3f)) {
      XML_DECL.lastIndex = 0;
      if (!XML_DECL.test(src)) fail('ERR_XML_MALFORMED', 'invalid XML declaration', 0);
      this.#pos = XML_DECL.lastIndex;
    }
    let root: Element | null = null;
    for (;;) {
      this.#misc();
      if (this.#pos >= src.length) break;
      if (root) fail('ERR_XML_MULTIPLE_ROOTS', 'More than one root element', this.#pos);
      root = this.#content();
    }
    if (!root) fail('ERR_XML_MALFORMED', 'no root element', this.#pos);
    return this.#doc;
  }

  /** Whitespace and comments outside the root; stops at a start tag or the end. */
  #misc(): void {
    const src = this.#src;
    for (;;) {
      while (isSpace(src.charCodeAt(this.#pos))) this.#pos++;
      const at = this.#pos;
      if (at >= src.length) return;
      if (src.charCodeAt(at) !== 0x3c /* < */)
        fail('ERR_XML_MULTIPLE_ROOTS', 'Text outside the root element', at);
      const c = src.charCodeAt(at + 1);
      if (c === 0x21 /* ! */ && src.startsWith('<!--', at)) {
        linkBefore(this.#doc, this.#comment(at), null);
        continue;
      }
      if (c === 0x21 && src.startsWith('<![CDATA[', at))
        fail('ERR_XML_MULTIPLE_ROOTS', 'CDATA section outside the root element', at);
      this.#markupGuard(at);
      if (c === 0x2f /* / */) fail('ERR_XML_MALFORMED', 'end tag without a start tag', at);
      return;
    }
  }

  /** Refuses declarations and processing instructions at `at` (a "<"). */
  #markupGuard(at: number): void {
    const c = this.#src.charCodeAt(at + 1);
    if (c === 0x21)
      fail('ERR_XML_DOCTYPE', 'Document type and markup declarations (DOCTYPE, ENTITY, ...) are refused', at);
    if (c === 0x3f) {
      fail(
        'ERR_XML_PROCESSING_INSTRUCTION',
        'Processing instructions are refused (only the leading XML declaration is allowed)',
        at,
      );
    }
  }

  #comment(at: number): CharacterData {
    const src = this.#src;
    const end = src.indexOf('--', at + 4);
    if (end < 0) fail('ERR_XML_MALFORMED', 'unterminated comment', at);
    if (src.charCodeAt(end + 2) !== 0x3e) fail('ERR_XML_MALFORMED', '"--" inside a comment', end);
    this.#pos = end + 3;
    return new CharacterData(this.#doc, 8, src.slice(at + 4, end));
  }

  /** Reads a Name at `at`; returns its end. */
  #name(at: number): number {
    const src = this.#src;
    let p = at;
    let ascii = true;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c < 128) {
        if (ASCII_NAME_CHAR[c] !== 1) break;
      } else if (Number.isNaN(c)) break;
      else ascii = false;
      p++;
    }
    const first = src.charCodeAt(at);
    if (p === at || (first >= 0x30 && first <= 0x39) || first === 0x2d || first === 0x2e)
      fail('ERR_XML_MALFORMED', 'invalid name', at);
    if (!ascii && !isName(src.slice(at, p))) fail('ERR_XML_MALFORMED', 'invalid name', at);
    return p;
  }

  /**
   * Splits a Name already checked by #name into #prefix ('' for none) and #local: a QName has at most one
   * colon, not at either end, and its local part starts like an NCName.
   */
  #qname(name: string, at: number): void {
    const colon = name.indexOf(':');
    if (colon < 0) {
      this.#prefix = '';
      this.#local = name;
      return;
    }
    const c = name.charCodeAt(colon + 1);
    if (
      colon === 0 ||
      name.indexOf(':', colon + 1) >= 0 ||
      Number.isNaN(c) ||
      (c < 128
        ? !(c === 0x5f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))
        : !isNcName(name.slice(colon + 1)))
    ) {
      fail('ERR_XML_MALFORMED', `"${name}" is not a qualified name`, at);
    }
    this.#prefix = name.slice(0, colon);
    this.#local = name.slice(colon + 1);
  }

  /** Parses the root element and everything inside it. */
  #content(): Element {
    const src = this.#src;
    const stack: Frame[] = [];
    let root: Element | null = null;
    for (;;) {
      const at = this.#pos;
      const parent = stack.length > 0 ? stack[stack.length - 1]!.el : null;
      if (parent === null) {
        const frame = this.#startTag(at, null, 1, null);
        root = frame.el;
        linkBefore(this.#doc, root, null);
        if (frame.empty) return root;
        stack.push(frame);
        continue;
      }
      const lt = src.indexOf('<', at);
      if (lt < 0) fail('ERR_XML_MALFORMED', `unclosed element <${parent.tagName}>`, src.length);
      if (lt > at) {
        let text = src.slice(at, lt);
        if (text.includes(']]>')) fail('ERR_XML_MALFORMED', '"]]>" in character data', at);
        if (text.includes('&')) text = decodeReferences(text, at);
        linkBefore(parent, new CharacterData(this.#doc, 3, text), null);
      }
      const c = src.charCodeAt(lt + 1);
      if (c === 0x2f /* / */) {
        const name = parent.tagName;
        let p = lt + 2 + name.length;
        if (
          !src.startsWith(name, lt + 2) ||
          ASCII_NAME_CHAR[src.charCodeAt(p)] === 1 ||
          src.charCodeAt(p) >= 128
        )
          fail('ERR_XML_MALFORMED', `the end tag does not match <${name}>`, lt);
        while (isSpace(src.charCodeAt(p))) p++;
        if (src.charCodeAt(p) !== 0x3e) fail('ERR_XML_MALFORMED', 'invalid end tag', lt);
        this.#pos = p + 1;
        const closed = stack.pop()!;
        parent.sourceStart = closed.start;
        parent.sourceEnd = p + 1;
        if (stack.length === 0) return root!;
      } else if (c === 0x21 && src.startsWith('<!--', lt)) {
        linkBefore(parent, this.#comment(lt), null);
      } else if (c === 0x21 && src.startsWith('<![CDATA[', lt)) {
        const end = src.indexOf(']]>', lt + 9);
        if (end < 0) fail('ERR_XML_MALFORMED', 'unterminated CDATA section', lt);
        linkBefore(parent, new CharacterData(this.#doc, 4, src.slice(lt + 9, end)), null);
        this.#pos = end + 3;
      } else {
        this.#markupGuard(lt);
        const frame = this.#startTag(lt, stack[stack.length - 1]!.scope, stack.length + 1, parent);
        linkBefore(parent, frame.el, null);
        if (!frame.empty) stack.push(frame);
      }
    }
  }

  /** Parses a start or empty-element tag at `at`; leaves #pos after its ">". */
  #startTag(at: number, scope: Scope | null, depth: number, parent: Element | null): Frame {
    const src = this.#src;
    if (depth > this.#limits.maxDepth) limit(`Elements nested deeper than ${this.#limits.maxDepth}`, at);
    const nameEnd = this.#name(at + 1);
    const tagName = src.slice(at + 1, nameEnd);
    const names = this.#names;
    const values = this.#values;
    const offsets = this.#offsets;
    let count = 0;
    let p = nameEnd;
    let declarations = 0;
    let empty = false;
    for (;;) {
      const before = p;
      while (isSpace(src.charCodeAt(p))) p++;
      const c = src.charCodeAt(p);
      if (c === 0x3e /* > */ || (c === 0x2f && src.charCodeAt(p + 1) === 0x3e)) {
        empty = c !== 0x3e;
        this.#pos = empty ? p + 2 : p + 1;
        break;
      }
      if (p === before || Number.isNaN(c)) fail('ERR_XML_MALFORMED', `invalid start tag <${tagName}>`, at);
      const attrAt = p;
      const end = this.#name(p);
      const name = src.slice(p, end);
      p = end;
      while (isSpace(src.charCodeAt(p))) p++;
      if (src.charCodeAt(p) !== 0x3d /* = */)
        fail('ERR_XML_MALFORMED', `attribute ${name} has no value`, attrAt);
      p++;
      while (isSpace(src.charCodeAt(p))) p++;
      const quote = src.charCodeAt(p);
      if (quote !== 0x22 && quote !== 0x27)
        fail('ERR_XML_MALFORMED', `attribute ${name} is not quoted`, attrAt);
      const close = src.indexOf(quote === 0x22 ? '"' : "'", p + 1);
      if (close < 0) fail('ERR_XML_MALFORMED', `unterminated value of attribute ${name}`, attrAt);
      let value = src.slice(p + 1, close);
      if (value.includes('<')) fail('ERR_XML_MALFORMED', `"<" in the value of attribute ${name}`, attrAt);
      if (value.includes('\t') || value.includes('\n')) value = value.replace(ATTR_WHITESPACE, ' ');
      if (value.includes('&')) value = decodeReferences(value, p + 1);
      p = close + 1;
      if (count >= this.#limits.maxAttributesPerElement)
        limit(`An element has more than ${this.#limits.maxAttributesPerElement} attributes`, at);
      for (let i = 0; i < count; i++)
        if (names[i] === name) fail('ERR_XML_MALFORMED', `attribute ${name} is repeated`, attrAt);
      names[count] = name;
      values[count] = value;
      offsets[count] = attrAt;
      count++;
      if (name === 'xmlns' || name.startsWith('xmlns:')) declarations++;
    }
    this.#count = count;
    if (declarations > this.#limits.maxNamespaceDeclarationsPerElement) {
      limit(
        `An element declares ${declarations} namespaces (limit ${this.#limits.maxNamespaceDeclarationsPerElement})`,
        at,
      );
    }
    const own = declarations > 0 ? readDeclarations(this.#names, this.#values, this.#count, at) : null;
    const elementScope: Scope | null = own ? { parent: scope, prefixes: own } : scope;
    this.#qname(tagName, at);
    const prefix = this.#prefix;
    const local = this.#local;
    if (prefix === 'xmlns') fail('ERR_XML_MALFORMED', 'the xmlns prefix is reserved', at);
    // Same bindings as the parent and the same prefix: the parent's namespace (no scope walk).
    const uri =
      own === null && parent !== null && prefix === (parent.prefix ?? '')
        ? (parent.namespaceURI ?? '')
        : lookup(elementScope, prefix);
    if (uri === undefined) fail('ERR_XML_MALFORMED', `the prefix "${prefix}" is not declared`, at);
    const el = new Element(this.#doc, uri === '' ? null : uri, prefix || null, local, tagName);
    this.#attributes(el, elementScope);
    if (empty) {
      el.sourceStart = at;
      el.sourceEnd = this.#pos;
    }
    return { el, scope: elementScope, empty, start: at };
  }

  /** Resolves and attaches the pending attributes of `el`. */
  #attributes(el: Element, scope: Scope | null): void {
    const names = this.#names;
    for (let i = 0; i < this.#count; i++) {
      const name = names[i]!;
      const at = this.#offsets[i]!;
      let attr: Attr;
      if (name === 'xmlns') attr = new Attr(this.#doc, NS.xmlns, null, 'xmlns', name, this.#values[i]!);
      else {
        this.#qname(name, at);
        const prefix = this.#prefix;
        const local = this.#local;
        let uri: string | null = null;
        if (prefix !== '') {
          const bound = prefix === 'xmlns' ? NS.xmlns : lookup(scope, prefix);
          if (bound === undefined) fail('ERR_XML_MALFORMED', `the prefix "${prefix}" is not declared`, at);
          uri = bound;
          for (const other of el.attributes.list) {
            if (other.localName === local && other.namespaceURI === uri)
              fail('ERR_XML_MALFORMED', `attribute {${uri}}${local} is repeated`, at);
          }
        }
        attr = new Attr(this.#doc, uri, prefix || null, local, name, this.#values[i]!);
      }
      el.addAttribute(attr);
    }
  }
}
