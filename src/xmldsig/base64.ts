import { PasserelleError } from '../errors.ts';
import { textOnly } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';

/** Per ASCII character: 1 base64 alphabet, 2 whitespace allowed between characters, 3 "=", 0 other. */
const CLASS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    t[c] = /[A-Za-z0-9+/]/.test(ch) ? 1 : /[ \t\n]/.test(ch) ? 2 : ch === '=' ? 3 : 0;
  }
  return t;
})();

/**
 * `text` without its spaces, tabs and LFs when what is left is base64 (alphabet characters, then
 * at most two "=", a multiple of 4 and not empty), else undefined. One pass, no copy when there is
 * no whitespace.
 */
function compactBase64(text: string): string | undefined {
  let count = 0;
  let pad = 0;
  let spaces = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? CLASS[c] : 0;
    if (k === 1) {
      if (pad > 0) return undefined;
      count++;
    } else if (k === 2) spaces = true;
    else if (k === 3) {
      if (++pad > 2) return undefined;
      count++;
    } else return undefined;
  }
  if (count === 0 || count % 4 !== 0) return undefined;
  return spaces ? text.replace(/[ \t\n]+/g, '') : text;
}

/**
 * Decodes the base64 text of an element that must hold nothing but base64 (whitespace allowed
 * between characters). A comment, a child element or a stray character makes it ERR_WSS_MALFORMED:
 * a value is never read around something inserted into it.
 */
export function base64Content(el: Element, what: string): Buffer {
  const text = textOnly(el);
  if (text === undefined) {
    throw new PasserelleError(
      'ERR_WSS_MALFORMED',
      `${what} must contain base64 text only (no comment, no element)`,
      { details: { element: what } },
    );
  }
  const compact = compactBase64(text);
  if (compact === undefined) {
    throw new PasserelleError('ERR_WSS_MALFORMED', `${what} is not valid base64`, {
      details: { element: what },
    });
  }
  return Buffer.from(compact, 'base64');
}
