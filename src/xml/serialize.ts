import type { Document, Element, Node } from '@xmldom/xmldom';

const escapeText = (s: string): string =>
  /[&<>\r]/.test(s)
    ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
    : s;

const escapeAttr = (s: string): string =>
  /[&<>"\t\n\r]/.test(s)
    ? s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/\t/g, '&#9;')
        .replace(/\n/g, '&#10;')
        .replace(/\r/g, '&#13;')
    : s;

function write(node: Node, parts: string[]): void {
  switch (node.nodeType) {
    case 1: {
      const el = node as Element;
      let open = `<${el.nodeName}`;
      const attrs = el.attributes;
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i)!;
        open += ` ${a.name}="${escapeAttr(a.value)}"`;
      }
      if (!el.firstChild) {
        parts.push(`${open}/>`);
        return;
      }
      parts.push(`${open}>`);
      for (let child: Node | null = el.firstChild; child; child = child.nextSibling) write(child, parts);
      parts.push(`</${el.nodeName}>`);
      return;
    }
    case 3:
    case 4:
      parts.push(escapeText(node.nodeValue ?? ''));
      return;
    case 8:
      parts.push(`<!--${node.nodeValue ?? ''}-->`);
      return;
    default:
      throw new TypeError(`serializeXml: unexpected node type ${node.nodeType}`);
  }
}

/**
 * Serialises a document (its root element) or an element exactly as the DOM holds it: names,
 * prefixes and namespace declarations as they are, attribute values and text escaped so that
 * parsing the output gives back the same values (tabs, newlines and carriage returns in
 * attributes, carriage returns in text become character references). Every namespace used must
 * be declared in the DOM: this serialiser adds no declaration of its own. No XML declaration is
 * written (the output is UTF-8 text).
 */
export function serializeXml(node: Document | Element): string {
  const root = node.nodeType === 9 ? (node as Document).documentElement : node;
  if (!root) throw new TypeError('serializeXml: the document has no root element');
  const parts: string[] = [];
  write(root as Node, parts);
  return parts.join('');
}
