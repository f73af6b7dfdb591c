import { PasserelleError } from '../errors.ts';
import { attributeList } from './_element.ts';
import { compareCodePoints, isRelativeNamespaceCached, sortFew } from './_order.ts';
import { NS } from './namespaces.ts';
import type { Attr, CharacterData, Element, Node } from './node.ts';

export interface ExcC14nOptions {
  /**
   * The InclusiveNamespaces PrefixList: prefixes handled as in inclusive c14n ("#default" is the
   * default namespace).
   */
  readonly inclusivePrefixes?: readonly string[];
  /** A subtree left out of the output (the enveloped-signature transform). */
  readonly exclude?: Node | null;
}

/**
 * Namespaces output by the output ancestors, as flat [prefix, uri, prefix, uri, ...] pairs, the
 * innermost last ('' is the default namespace). A handful of entries: a scan beats a map.
 */
type Rendered = readonly string[];

/**
 * The namespaces in scope for the PrefixList, as flat [prefix, uri, ...] pairs, the innermost
 * last: those the apex inherits, then the declarations of the output elements down to here.
 * Copied (a short array) only where an element declares some.
 */
type InScope = readonly string[];

/** The URI `prefix` is bound to in `scope`, undefined when unbound. */
function scopeUri(scope: InScope, prefix: string): string | undefined {
  for (let i = scope.length - 2; i >= 0; i -= 2) if (scope[i] === prefix) return scope[i + 1]!;
  return undefined;
}

/** The URI `prefix` was last output with, '' when never. */
function renderedUri(rendered: Rendered, prefix: string): string {
  for (let i = rendered.length - 2; i >= 0; i -= 2) if (rendered[i] === prefix) return rendered[i + 1]!;
  return '';
}

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<"\t\n\r]/;

/** The escape of a character of text (C14N 1.0 §2.3), undefined when it stays. */
function textEscape(c: number): string | undefined {
  if (c > 0x3e) return undefined;
  return c === 0x26 ? '&amp;' : c === 0x3c ? '&lt;' : c === 0x3e ? '&gt;' : c === 0x0d ? '&#xD;' : undefined;
}

/** The escape of a character of an attribute value (C14N 1.0 §2.3), undefined when it stays. */
function attrEscape(c: number): string | undefined {
  if (c > 0x3c) return undefined;
  switch (c) {
    case 0x26:
      return '&amp;';
    case 0x3c:
      return '&lt;';
    case 0x22:
      return '&quot;';
    case 0x09:
      return '&#x9;';
    case 0x0a:
      return '&#xA;';
    case 0x0d:
      return '&#xD;';
    default:
      return undefined;
  }
}

/** `s` with its characters escaped by `escapeOf`, in one pass (most strings need none: a regex says so). */
function escapeWith(s: string, special: RegExp, escapeOf: (c: number) => string | undefined): string {
  if (!special.test(s)) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const e = escapeOf(s.charCodeAt(i));
    if (e === undefined) continue;
    out += s.slice(from, i) + e;
    from = i + 1;
  }
  return out + s.slice(from);
}

const escapeText = (s: string): string => escapeWith(s, TEXT_SPECIAL, textEscape);
const escapeAttr = (s: string): string => escapeWith(s, ATTR_SPECIAL, attrEscape);

const byPrefix = (x: [string, string], y: [string, string]): number => compareCodePoints(x[0], y[0]);
const byNamespaceThenName = (x: Attr, y: Attr): number =>
  compareCodePoints(x.namespaceURI ?? '', y.namespaceURI ?? '') ||
  compareCodePoints(x.localName!, y.localName!);

/** True when `el` itself declares `prefix` ('' for the default namespace). */
function declares(el: Element, prefix: string): boolean {
  for (const a of attributeList(el))
    if (a.namespaceURI === NS.xmlns && (a.prefix === 'xmlns' ? a.localName : '') === prefix) return true;
  return false;
}

/** Refuses a relative namespace URI bound to `prefix` ('' for the default namespace). */
function checkAbsolute(prefix: string, uri: string): void {
  if (!isRelativeNamespaceCached(uri)) return;
  throw new PasserelleError(
    'ERR_XML_RELATIVE_NAMESPACE',
    `Cannot canonicalise: the namespace URI "${uri.slice(0, 120)}" of ${prefix === '' ? 'xmlns' : `xmlns:${prefix.slice(0, 40)}`} is relative`,
    {
      hint: 'Canonical XML (C14N 1.0 §2.1) refuses relative namespace URIs: use an absolute URI.',
      details: { prefix },
    },
  );
}

/** Adds (prefix, uri) to the pending declarations unless already output with that URI or already pending. */
function need(pending: [string, string][], rendered: Rendered, prefix: string, uri: string): void {
  if (prefix === 'xml' || renderedUri(rendered, prefix) === uri) return;
  for (const [p] of pending) if (p === prefix) return;
  checkAbsolute(prefix, uri);
  pending.push([prefix, uri]);
}

class Canonicaliser {
  out = '';
  readonly #inclusive: readonly string[];
  readonly #exclude: Node | null;
  readonly #apex: Element;
  /**
   * Elements whose verbatim check failed, with the output namespaces it failed under: the same
   * check is not walked again at every level below (which made a failure deep in a large
   * canonical subtree cost depth × size).
   */
  #failed: Map<Element, Rendered> | null = null;

  constructor(apex: Element, inclusive: readonly string[], exclude: Node | null) {
    this.#apex = apex;
    this.#inclusive = inclusive;
    this.#exclude = exclude;
  }

  /**
   * True when `el` outputs no namespace declaration and declares none: no prefixed attribute,
   * no xmlns attribute, its own namespace already output, no PrefixList entry left to output.
   * Below the apex the last needs no look: once an element is output, every PrefixList entry in
   * its children's scope has been output with its URI (see element), and an element that
   * declares nothing has its parent's scope.
   */
  #plain(el: Element, rendered: Rendered, scope: InScope | undefined): boolean {
    for (const a of attributeList(el)) if (a.prefix !== null || a.namespaceURI !== null) return false;
    const prefix = el.prefix ?? '';
    if (prefix !== 'xml' && renderedUri(rendered, prefix) !== (el.namespaceURI ?? '')) return false;
    if (scope && el === this.#apex) {
      for (const p of this.#inclusive) {
        const key = p === '#default' ? '' : p;
        const uri = scopeUri(scope, key);
        if (uri !== undefined && key !== 'xml' && renderedUri(rendered, key) !== uri) return false;
      }
    }
    return true;
  }

  /**
   * True when the canonical form of `el`, a pristine element whose source text is canonical as
   * written (Element.sourceCanonical) below the apex, is that text: every element in it has its
   * namespace output already and nothing in it is excluded. Its elements then take the plain path
   * of element (no attribute, no declaration, the PrefixList output above) and its text needs no
   * escape, so element and children would write the source text again.
   */
  #verbatim(el: Element, rendered: Rendered): boolean {
    if (this.#failed?.get(el) === rendered) return false;
    const prefix = el.prefix ?? '';
    const ok =
      (prefix === 'xml' || renderedUri(rendered, prefix) === (el.namespaceURI ?? '')) &&
      this.#verbatimContent(el, rendered);
    if (!ok) this.#fail(el, rendered);
    return ok;
  }

  /** #verbatim of the children of `el`; a child with the names of its parent needs no namespace look. */
  #verbatimContent(el: Element, rendered: Rendered): boolean {
    if (el.sourceUniform && !this.#excludes(el)) return true;
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c === this.#exclude) return false;
      if (c.nodeType !== 1) continue;
      const e = c as Element;
      const same = e.prefix === el.prefix && e.namespaceURI === el.namespaceURI;
      if (!(same ? this.#verbatimContent(e, rendered) : this.#verbatim(e, rendered))) {
        this.#fail(e, rendered);
        return false;
      }
    }
    return true;
  }

  /** Remembers that the verbatim check of `el` failed under `rendered`. */
  #fail(el: Element, rendered: Rendered): void {
    this.#failed ??= new Map();
    this.#failed.set(el, rendered);
  }

  /** True when the excluded node lies below `el`. */
  #excludes(el: Element): boolean {
    for (let n = this.#exclude?.parentNode ?? null; n; n = n.parentNode) if (n === el) return true;
    return false;
  }

  element(el: Element, rendered: Rendered, scope: InScope | undefined): void {
    if (this.#plain(el, rendered, scope)) {
      const attrs = attributeList(el);
      if (attrs.length === 0) this.out += `<${el.tagName}>`;
      else {
        const sorted = attrs.length === 1 ? attrs : sortFew(attrs.slice(), byNamespaceThenName);
        let out = `<${el.tagName}`;
        for (const a of sorted) out += ` ${a.name}="${escapeAttr(a.value)}"`;
        this.out += `${out}>`;
      }
      this.children(el, rendered, scope);
      return;
    }
    const pending: [string, string][] = [];
    need(pending, rendered, el.prefix ?? '', el.namespaceURI ?? '');
    const plain: Attr[] = [];
    let childScope = scope;
    for (const a of attributeList(el)) {
      if (a.namespaceURI === NS.xmlns) {
        checkAbsolute(a.prefix === 'xmlns' ? a.localName! : '', a.value);
        if (scope) {
          const own = childScope === scope ? scope.slice() : (childScope as string[]);
          own.push(a.prefix === 'xmlns' ? a.localName! : '', a.value);
          childScope = own;
        }
        continue;
      }
      if (a.prefix) need(pending, rendered, a.prefix, a.namespaceURI ?? '');
      plain.push(a);
    }
    // The PrefixList entries in scope: already output unless this is the apex or declares some.
    if (childScope && (childScope !== scope || el === this.#apex)) {
      for (const p of this.#inclusive) {
        const key = p === '#default' ? '' : p;
        const uri = scopeUri(childScope, key);
        if (uri !== undefined) need(pending, rendered, key, uri);
      }
    }
    let out = `<${el.tagName}`;
    let childRendered = rendered;
    if (pending.length > 0) {
      const next = rendered.slice();
      childRendered = next;
      if (pending.length > 1) sortFew(pending, byPrefix);
      for (const [p, uri] of pending) {
        next.push(p, uri);
        out += p === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${p}="${escapeAttr(uri)}"`;
      }
    }
    if (plain.length > 1) sortFew(plain, byNamespaceThenName);
    for (const a of plain) out += ` ${a.name}="${escapeAttr(a.value)}"`;
    this.out += `${out}>`;
    this.children(el, childRendered, childScope);
  }

  children(el: Element, childRendered: Rendered, childScope: InScope | undefined): void {
    for (let child = el.firstChild; child; child = child.nextSibling) {
      if (child === this.#exclude) continue;
      switch (child.nodeType) {
        case 1: {
          const e = child as Element;
          if (e.sourceCanonical && e.sourceEnd >= 0 && this.#verbatim(e, childRendered))
            this.out += e.ownerDocument!.source!.slice(e.sourceStart, e.sourceEnd);
          else this.element(e, childRendered, childScope);
          break;
        }
        case 3:
        case 4:
          this.out += escapeText((child as CharacterData).data);
          break;
        case 7:
          this.out += `<?${child.nodeName}${child.nodeValue ? ` ${child.nodeValue}` : ''}?>`;
          break;
        case 8:
          break;
        default:
          throw new PasserelleError(
            'ERR_XML_MALFORMED',
            `Cannot canonicalise a node of type ${child.nodeType}`,
          );
      }
    }
    this.out += `</${el.tagName}>`;
  }
}

/**
 * Exclusive XML Canonicalization 1.0 without comments (https://www.w3.org/TR/xml-exc-c14n/)
 * of the subtree rooted at `apex`, in its document context: a namespace declaration is output
 * where it is visibly used (element or attribute prefix) and not already output by an output
 * ancestor with the same value; prefixes of the PrefixList are output as inclusive c14n does.
 * Attributes are sorted by namespace URI then local name, namespace declarations by prefix, both
 * by Unicode code point (not UTF-16 code unit); xml:* attributes are not inherited. A relative
 * namespace URI (no scheme) declared in the subtree, inherited by the apex or output is refused
 * with ERR_XML_RELATIVE_NAMESPACE (C14N 1.0 §2.1), as libxml2 does; parseXml accepts it.
 */
export function excC14n(apex: Element, options: ExcC14nOptions = {}): string {
  const inclusive = options.inclusivePrefixes ?? [];
  const c = new Canonicaliser(apex, inclusive, options.exclude ?? null);
  // Namespaces the apex inherits (innermost declaration of each prefix), as pairs.
  const inherited: string[] = [];
  for (let n = apex.parentNode; n !== null && n.nodeType === 1; n = n.parentNode) {
    const attrs = attributeList(n as Element);
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (a.namespaceURI !== NS.xmlns) continue;
      const prefix = a.prefix === 'xmlns' ? a.localName! : '';
      if (scopeUri(inherited, prefix) === undefined) inherited.push(prefix, a.value);
    }
  }
  // They are in the canonicalised document even when unused (libxml2 refuses them too).
  for (let i = 0; i < inherited.length; i += 2)
    if (!declares(apex, inherited[i]!)) checkAbsolute(inherited[i]!, inherited[i + 1]!);
  const inScope = inclusive.length > 0 ? inherited : undefined;
  c.element(apex, [], inScope);
  return c.out;
}
