/** XML 1.0 (fifth edition) names and Namespaces in XML 1.0 NCNames, ASCII on a fast path. */

const START =
  'A-Z_a-z\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const REST = `${START}\\-.0-9\\xB7\\u0300-\\u036F\\u203F\\u2040`;
const NCNAME = new RegExp(`^[${START}][${REST}]*$`, 'u');
const NAME = new RegExp(`^[:${START}][:${REST}]*$`, 'u');
const ASCII_NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** True when `s` is an NCName (a Name without colons). */
export function isNcName(s: string): boolean {
  return ASCII_NCNAME.test(s) || NCNAME.test(s);
}

/** Short names already found valid (bounded in number and length: a vocabulary is small). */
const NAMES = new Set<string>();

/** True when `s` is an XML Name (colons allowed). */
export function isName(s: string): boolean {
  if (NAMES.has(s)) return true;
  if (!NAME.test(s)) return false;
  if (NAMES.size < 4096 && s.length <= 64) NAMES.add(s);
  return true;
}

/**
 * True when `name`, a Name whose first colon is at `colon` (≥ 0), is a prefixed QName: one colon,
 * not at either end, and a local part that starts like an NCName. `oneColon`: the caller counted
 * the colons while reading the name.
 */
export function isQName(name: string, colon: number, oneColon = name.indexOf(':', colon + 1) < 0): boolean {
  const c = name.charCodeAt(colon + 1);
  if (colon === 0 || Number.isNaN(c) || !oneColon) return false;
  return c < 128
    ? c === 0x5f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
    : isNcName(name.slice(colon + 1));
}

/** 1 for ASCII characters that may continue a name ([A-Za-z0-9_.:-]), else 0. */
export const ASCII_NAME_CHAR: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    t[c] = /[A-Za-z0-9_.:-]/.test(ch) ? 1 : 0;
  }
  return t;
})();
