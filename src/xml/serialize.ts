import type { Document } from './_document.ts';
import { attributeList, type Element } from './_element.ts';
import type { CharacterData, Node } from './_node.ts';
import { NS } from './namespaces.ts';

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;

const escapeText = (s: string): string =>
  TEXT_SPECIAL.test(s)
    ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
    : s;

const escapeAttr = (s: string): string =>
  ATTR_SPECIAL.test(s)
    ? s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/\t/g, '&#9;')
        .replace(/\n/g, '&#10;')
        .replace(/\r/g, '&#13;')
    : s;

/** Prefix → URI bindings in force ('' is the default namespace), chained to the parent's. */
type Bindings = Record<string, string>;

class Writer {
  out = '';
  readonly #fixup: boolean;
  readonly #replace: ReadonlyMap<Element, string> | undefined;

  constructor(fixup: boolean, replace: ReadonlyMap<Element, string> | undefined) {
    this.#fixup = fixup;
    this.#replace = replace;
  }

  /** Declarations `el` needs and lacks, written as attributes; returns the child bindings. */
  #fix(el: Element, scope: Bindings): [string, Bindings] {
    let extra = '';
    let own: Bindings | undefined;
    const bind = (prefix: string, uri: string): void => {
      own ??= Object.create(scope) as Bindings;
      own[prefix] = uri;
    };
    for (const a of attributeList(el)) {
      if (a.namespaceURI === NS.xmlns) bind(a.prefix === 'xmlns' ? a.localName! : '', a.value);
    }
    const need = (prefix: string, uri: string): void => {
      if (prefix === 'xml' || ((own ?? scope)[prefix] ?? '') === uri) return;
      bind(prefix, uri);
      extra += prefix === '' ? ` xmlns="${escapeAttr(uri)}"` : ` xmlns:${prefix}="${escapeAttr(uri)}"`;
    };
    need(el.prefix ?? '', el.namespaceURI ?? '');
    for (const a of attributeList(el)) {
      if (a.prefix && a.namespaceURI !== NS.xmlns) need(a.prefix, a.namespaceURI ?? '');
    }
    return [extra, own ?? scope];
  }

  write(node: Node, scope: Bindings): void {
    switch (node.nodeType) {
      case 1: {
        const el = node as Element;
        const text = this.#replace?.get(el);
        if (text !== undefined) {
          this.out += text;
          return;
        }
        if (el.sourceEnd >= 0 && !this.#fixup) {
          // Unchanged since parsed: its source text, which parses back to this very subtree.
          this.out += el.ownerDocument!.source!.slice(el.sourceStart, el.sourceEnd);
          return;
        }
        const name = el.tagName;
        let open = `<${name}`;
        for (const a of attributeList(el)) open += ` ${a.name}="${escapeAttr(a.value)}"`;
        let childScope = scope;
        if (this.#fixup) {
          const [extra, bindings] = this.#fix(el, scope);
          open += extra;
          childScope = bindings;
        }
        if (!el.firstChild) {
          this.out += `${open}/>`;
          return;
        }
        this.out += `${open}>`;
        for (let child: Node | null = el.firstChild; child; child = child.nextSibling)
          this.write(child, childScope);
        this.out += `</${name}>`;
        return;
      }
      case 3:
      case 4:
        this.out += escapeText((node as CharacterData).data);
        return;
      case 8:
        this.out += `<!--${node.nodeValue ?? ''}-->`;
        return;
      default:
        throw new TypeError(`serializeXml: unexpected node type ${node.nodeType}`);
    }
  }
}

export interface SerializeXmlOptions {
  /**
   * Declare the namespaces elements and attributes use but the DOM does not declare (as a DOM
   * XMLSerializer does). Off by default: the output is then exactly what the DOM holds.
   */
  readonly declareNamespaces?: boolean;
  /**
   * Elements written as the given markup instead of from the DOM (a signer's header made as
   * text): the caller vouches that the markup is well-formed and declares what it uses.
   */
  readonly replace?: ReadonlyMap<Element, string>;
}

/**
 * Serialises a document (its root element) or an element exactly as the DOM holds it: names,
 * prefixes and namespace declarations as they are, attribute values and text escaped so that
 * parsing the output gives back the same values (tabs, newlines and carriage returns in
 * attributes, carriage returns in text become character references). An element unchanged
 * since parseXml read it is written as the (line-end normalised) text it was read from: the
 * same subtree, the caller's own bytes, and no work. Unless
 * `declareNamespaces`, every namespace used must be declared in the DOM. No XML declaration is
 * written (the output is UTF-8 text).
 */
export function serializeXml(node: Document | Element, options: SerializeXmlOptions = {}): string {
  const root = node.nodeType === 9 ? (node as Document).documentElement : (node as Element);
  if (!root) throw new TypeError('serializeXml: the document has no root element');
  const w = new Writer(options.declareNamespaces === true, options.replace);
  w.write(root, Object.create(null) as Bindings);
  return w.out;
}
