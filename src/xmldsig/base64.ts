import { PasserelleError } from '../errors.ts';
import { textOnly } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

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
  const compact = text.replace(/[ \t\n]+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new PasserelleError('ERR_WSS_MALFORMED', `${what} is not valid base64`, {
      details: { element: what },
    });
  }
  return Buffer.from(compact, 'base64');
}
