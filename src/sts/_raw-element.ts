import type { Element, Node } from '../xml/node.ts';

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;

function invalid(message: string): never {
  throw new RangeError(message);
}

/** Index of `el` among the document's elements in document order (the root is 0). */
function preorderIndex(el: Element): number {
  let index = 0;
  const stack: Node[] = [el.ownerDocument!.documentElement!];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === el) return index;
    index += 1;
    for (let c = node.lastChild; c; c = c.previousSibling) if (c.nodeType === 1) stack.push(c);
  }
  return invalid('element not in its document');
}

function countElements(el: Element): number {
  let n = 0;
  const stack: Node[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    n += 1;
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c);
  }
  return n;
}

/** The index just after the next `end` from `from`. */
function skipPast(source: string, end: string, from: number): number {
  const at = source.indexOf(end, from);
  if (at < 0) invalid('unterminated markup');
  return at + end.length;
}

/** End of the tag starting at `lt` (index after '>'), skipping quoted attribute values. */
function tagEnd(source: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return invalid('unterminated tag');
}

/**
 * The exact source text of `el` — from its start tag's '<' to its end tag's '>' — found by a
 * lexical walk of `source` (the very text that was parsed into el's document): comments, CDATA
 * sections, processing instructions and the XML declaration are skipped, start tags are counted
 * until the one at el's document-order index, then depth is tracked to its end tag. The slice is
 * cross-checked against the DOM (tag name, element count); any disagreement throws RangeError.
 */
export function rawElementText(source: string, el: Element): string {
  const target = preorderIndex(el);
  let seen = -1;
  let start = -1;
  let depth = 0;
  let inside = 0;
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      i = skipPast(source, '-->', lt + 4);
    } else if (source.startsWith('<![CDATA[', lt)) {
      i = skipPast(source, ']]>', lt + 9);
    } else if (source.startsWith('<?', lt)) {
      i = skipPast(source, '?>', lt + 2);
    } else if (source[lt + 1] === '/') {
      i = tagEnd(source, lt);
      if (start >= 0) {
        depth -= 1;
        if (depth === 0) {
          const text = source.slice(start, i);
          if (inside !== countElements(el)) invalid('element count mismatch');
          if (!source.startsWith(`</${el.nodeName}`, lt)) invalid('end tag mismatch');
          return text;
        }
      }
    } else if (NAME_START.test(source[lt + 1] ?? '')) {
      i = tagEnd(source, lt);
      seen += 1;
      const selfClosing = source[i - 2] === '/';
      if (seen === target) {
        if (
          !new RegExp(`^<${el.nodeName.replace(/[.]/g, '\\.')}[\\s/>]`).test(
            source.slice(lt, lt + el.nodeName.length + 2),
          )
        )
          invalid('start tag mismatch');
        start = lt;
      }
      if (start >= 0) {
        inside += 1;
        if (selfClosing) {
          if (depth === 0) {
            if (countElements(el) !== 1) invalid('element count mismatch');
            return source.slice(start, i);
          }
        } else depth += 1;
      }
    } else {
      invalid('unexpected markup');
    }
  }
  return invalid('element not found in the source');
}
