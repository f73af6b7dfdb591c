/**
 * Orders and checks of Canonical XML that JavaScript's string operators get wrong or do not have.
 */

/**
 * Maps a UTF-16 code unit so that comparing mapped units orders strings by code point: surrogates
 * (U+D800–U+DFFF, halves of U+10000 and above) move above U+E000–U+FFFF, which move down.
 */
const fixup = (c: number): number => (c < 0xd800 ? c : c >= 0xe000 ? c - 0x800 : c + 0x2000);

/**
 * Compares two strings by Unicode code point, as C14N 1.0 §2.2 orders attributes and namespace
 * declarations (the order of their UTF-8 bytes). JavaScript's `<` compares UTF-16 code units,
 * which puts U+10000 and above before U+E000–U+FFFF. Well-formed strings: a difference is never
 * first found in a low surrogate facing a character of another kind.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  return fixup(a.charCodeAt(i)) - fixup(b.charCodeAt(i));
}

/** An RFC 3986 scheme followed by ":" at the start: the mark of an absolute URI. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * True when `uri`, a namespace name ('' is the undeclaration xmlns="", not a URI), is a relative
 * URI reference: it has no scheme (RFC 3986 §4.2). C14N 1.0 §2.1: "implementations MUST report an
 * operation failure on documents containing relative namespace URIs".
 */
export function isRelativeNamespace(uri: string): boolean {
  return uri !== '' && !SCHEME.test(uri);
}

/**
 * Sorts `items` in place by `compare` (stable), by insertion: the handful of declarations or
 * attributes of one element sort several times faster so than through Array.prototype.sort.
 */
export function sortFew<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && compare(items[j]!, item) > 0) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

/** Namespace names already found absolute (bounded): the parser shares one string per name. */
const ABSOLUTE = new Set<string>();

/** isRelativeNamespace, remembered for the names found absolute. */
export function isRelativeNamespaceCached(uri: string): boolean {
  if (ABSOLUTE.has(uri)) return false;
  if (isRelativeNamespace(uri)) return true;
  if (ABSOLUTE.size < 256 && uri.length <= 512) ABSOLUTE.add(uri);
  return false;
}
