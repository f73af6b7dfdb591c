import { attachAttributes, PendingAttributes } from './_attributes.ts';
import { Document } from './_document.ts';
import { Element } from './_element.ts';
import {
  ATTR_WHITESPACE,
  decodeReferences,
  fail,
  isSpace,
  limit,
  NextChar,
  normaliseSource,
  ReferenceScan,
  XML_DECL,
} from './_lexical.ts';
import { ASCII_NAME_CHAR, isQName } from './_names.ts';
import { CharacterData, linkBefore } from './_node.ts';
import { compareCodePoints } from './_order.ts';
import { NameScan, readName } from './_read-name.ts';
import { lookup, readDeclarations, type Scope } from './_scope.ts';
import type { XmlLimits } from './limits.ts';

const sameNames = (a: Element, b: Element): boolean =>
  a.prefix === b.prefix && a.namespaceURI === b.namespaceURI;

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
  readonly #pending = new PendingAttributes();
  /** Where readName found the colons of the last name it read. */
  readonly #scan = new NameScan();
  /** What decodeReferences saw in the last text or value it decoded. */
  readonly #refs = new ReferenceScan();
  /** The source holds no "]]>" at all: character data needs no check for it. */
  #noCdataEnd = false;
  /** Where the next "<", "&", tab and LF are: attribute values and text need no scan of their own. */
  readonly #lt: NextChar;
  readonly #amp: NextChar;
  readonly #tab: NextChar;
  readonly #lf: NextChar;
  /** Where the next ">" is: text with one is not canonical as written (C14N writes &gt;). */
  readonly #gt: NextChar;
  /** What #startTag read besides the element: an empty-element tag (`<a/>`), the element's scope. */
  #empty = false;
  #scope: Scope | null = null;

  constructor(source: string, limits: XmlLimits) {
    if (source.length > limits.maxSize)
      limit(`XML input of ${source.length} characters exceeds the limit of ${limits.maxSize}`, 0);
    const src = normaliseSource(source);
    this.#src = src;
    this.#noCdataEnd = !src.includes(']]>');
    this.#lt = new NextChar(src, '<');
    this.#amp = new NextChar(src, '&');
    this.#tab = new NextChar(src, '\t');
    this.#lf = new NextChar(src, '\n');
    this.#gt = new NextChar(src, '>');
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

  /** Parses the root element and everything inside it. */
  #content(): Element {
    const src = this.#src;
    // The open elements and their namespace scopes.
    const stack: Element[] = [];
    const scopes: (Scope | null)[] = [];
    const root = this.#startTag(this.#pos, null, 1, null);
    linkBefore(this.#doc, root, null);
    if (this.#empty) return root;
    stack.push(root);
    scopes.push(this.#scope);
    for (;;) {
      const at = this.#pos;
      const parent = stack[stack.length - 1]!;
      const lt = this.#lt.from(at);
      if (lt === src.length) fail('ERR_XML_MALFORMED', `unclosed element <${parent.tagName}>`, src.length);
      if (lt > at) {
        let text = src.slice(at, lt);
        if (!this.#noCdataEnd && text.includes(']]>'))
          fail('ERR_XML_MALFORMED', '"]]>" in character data', at);
        const refs = this.#amp.from(at) < lt;
        if (refs) text = decodeReferences(text, at, this.#refs);
        if (parent.sourceCanonical && (this.#gt.from(at) < lt || (refs && !this.#refs.text)))
          parent.sourceCanonical = false;
        linkBefore(parent, new CharacterData(this.#doc, 3, text), null);
      }
      const c = src.charCodeAt(lt + 1);
      if (c === 0x2f /* / */) {
        const name = parent.tagName;
        let p = lt + 2 + name.length;
        // A slice compared with === beats startsWith here.
        if (
          src.slice(lt + 2, p) !== name ||
          ASCII_NAME_CHAR[src.charCodeAt(p)] === 1 ||
          src.charCodeAt(p) >= 128
        )
          fail('ERR_XML_MALFORMED', `the end tag does not match <${name}>`, lt);
        const nameEnd = p;
        while (isSpace(src.charCodeAt(p))) p++;
        if (src.charCodeAt(p) !== 0x3e) fail('ERR_XML_MALFORMED', 'invalid end tag', lt);
        this.#pos = p + 1;
        stack.pop();
        scopes.pop();
        parent.sourceEnd = p + 1;
        if (p !== nameEnd) parent.sourceCanonical = false;
        if (stack.length === 0) return root;
        const up = stack[stack.length - 1]!;
        if (!parent.sourceCanonical) up.sourceCanonical = false;
        if (up.sourceUniform && !(parent.sourceUniform && sameNames(parent, up))) up.sourceUniform = false;
      } else if (c === 0x21 && src.startsWith('<!--', lt)) {
        linkBefore(parent, this.#comment(lt), null);
        parent.sourceCanonical = false;
      } else if (c === 0x21 && src.startsWith('<![CDATA[', lt)) {
        parent.sourceCanonical = false;
        const end = src.indexOf(']]>', lt + 9);
        if (end < 0) fail('ERR_XML_MALFORMED', 'unterminated CDATA section', lt);
        linkBefore(parent, new CharacterData(this.#doc, 4, src.slice(lt + 9, end)), null);
        this.#pos = end + 3;
      } else {
        this.#markupGuard(lt);
        const el = this.#startTag(lt, scopes[scopes.length - 1]!, stack.length + 1, parent);
        linkBefore(parent, el, null);
        if (!this.#empty) {
          stack.push(el);
          scopes.push(this.#scope);
        } else {
          parent.sourceCanonical = false;
          if (!sameNames(el, parent)) parent.sourceUniform = false;
        }
      }
    }
  }

  /**
   * Parses a start or empty-element tag at `at`; leaves #pos after its ">", #empty and #scope set.
   * The element's source range starts at `at`; the end tag (or "/>") ends it.
   */
  #startTag(at: number, scope: Scope | null, depth: number, parent: Element | null): Element {
    const src = this.#src;
    if (depth > this.#limits.maxDepth) limit(`Elements nested deeper than ${this.#limits.maxDepth}`, at);
    const nameEnd = readName(src, at + 1, this.#scan);
    const tagName = src.slice(at + 1, nameEnd);
    const tagColon = this.#scan.colon;
    const tagOneColon = !this.#scan.moreColons;
    const pending = this.#pending;
    const { names, values, offsets, colons } = pending;
    let count = 0;
    let p = nameEnd;
    let declarations = 0;
    let empty = false;
    // The tag as C14N writes it: unprefixed attributes in code-point order, each after one space,
    // as name="value" with a value that needs no escape and no normalisation, ">" right after.
    let canonical = true;
    for (;;) {
      const before = p;
      while (isSpace(src.charCodeAt(p))) p++;
      const c = src.charCodeAt(p);
      if (c === 0x3e /* > */ || (c === 0x2f && src.charCodeAt(p + 1) === 0x3e)) {
        empty = c !== 0x3e;
        this.#pos = empty ? p + 2 : p + 1;
        canonical &&= !empty && p === before;
        break;
      }
      if (p === before || Number.isNaN(c)) fail('ERR_XML_MALFORMED', `invalid start tag <${tagName}>`, at);
      const attrAt = p;
      const end = readName(src, p, this.#scan);
      const name = src.slice(p, end);
      const colon = this.#scan.colon;
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
      if (this.#lt.from(p + 1) < close)
        fail('ERR_XML_MALFORMED', `"<" in the value of attribute ${name}`, attrAt);
      canonical &&=
        colon < 0 &&
        name !== 'xmlns' &&
        p === end + 1 &&
        quote === 0x22 &&
        attrAt === before + 1 &&
        src.charCodeAt(before) === 0x20 &&
        (count === 0 || compareCodePoints(names[count - 1]!, name) < 0);
      let value = src.slice(p + 1, close);
      if (this.#tab.from(p + 1) < close || this.#lf.from(p + 1) < close) {
        value = value.replace(ATTR_WHITESPACE, ' ');
        canonical = false;
      }
      if (this.#amp.from(p + 1) < close) {
        value = decodeReferences(value, p + 1, this.#refs);
        canonical &&= this.#refs.attr;
      }
      p = close + 1;
      if (count >= this.#limits.maxAttributesPerElement)
        limit(`An element has more than ${this.#limits.maxAttributesPerElement} attributes`, at);
      for (let i = 0; i < count; i++)
        if (names[i] === name) fail('ERR_XML_MALFORMED', `attribute ${name} is repeated`, attrAt);
      names[count] = name;
      values[count] = value;
      offsets[count] = attrAt;
      colons[count] = colon;
      count++;
      if (colon < 0 ? name === 'xmlns' : colon === 5 && name.startsWith('xmlns')) declarations++;
    }
    pending.count = count;
    if (declarations > this.#limits.maxNamespaceDeclarationsPerElement) {
      limit(
        `An element declares ${declarations} namespaces (limit ${this.#limits.maxNamespaceDeclarationsPerElement})`,
        at,
      );
    }
    const own = declarations > 0 ? readDeclarations(names, values, count, at) : null;
    const elementScope: Scope | null = own ? { parent: scope, prefixes: own } : scope;
    if (tagColon >= 0 && !isQName(tagName, tagColon, tagOneColon))
      fail('ERR_XML_MALFORMED', `"${tagName}" is not a qualified name`, at);
    const prefix = tagColon < 0 ? '' : tagName.slice(0, tagColon);
    const local = tagColon < 0 ? tagName : tagName.slice(tagColon + 1);
    if (prefix === 'xmlns') fail('ERR_XML_MALFORMED', 'the xmlns prefix is reserved', at);
    // Same bindings as the parent and the same prefix: the parent's namespace (no scope walk).
    const uri =
      own === null && parent !== null && prefix === (parent.prefix ?? '')
        ? (parent.namespaceURI ?? '')
        : lookup(elementScope, prefix);
    if (uri === undefined) fail('ERR_XML_MALFORMED', `the prefix "${prefix}" is not declared`, at);
    const el = new Element(this.#doc, uri === '' ? null : uri, prefix || null, local, tagName);
    attachAttributes(this.#doc, el, pending, elementScope);
    el.sourceStart = at;
    if (empty) el.sourceEnd = this.#pos;
    else el.sourceCanonical = canonical;
    this.#empty = empty;
    this.#scope = elementScope;
    return el;
  }
}
