import { randomUUID } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';

/** What we accept as a Content-ID (the addr-spec between the angle brackets): printable ASCII, no <>, no space. */
const CONTENT_ID = /^[\x21-\x3b\x3d\x3f-\x7e]{1,200}$/;

/** A fresh Content-ID, `<uuid>@passerelle` (without angle brackets). */
export function _newContentId(): string {
  return `${randomUUID()}@passerelle`;
}

/** Checks a Content-ID given by a caller (TypeError on misuse). */
export function _checkContentId(id: string): string {
  if (typeof id !== 'string' || !CONTENT_ID.test(id)) {
    throw new TypeError(
      'A Content-ID must be 1 to 200 printable ASCII characters without spaces, "<" or ">"',
    );
  }
  return id;
}

/**
 * The `cid:` URL of a Content-ID (RFC 2392): the addr-spec with every character that may not
 * appear in a URL %-encoded. "@" stays literal, as the common stacks write it.
 */
export function _cidUrl(contentId: string): string {
  return `cid:${encodeURIComponent(_checkContentId(contentId)).replace(/%40/g, '@')}`;
}

/**
 * The Content-ID a `cid:` URL names (%-decoded). Any other scheme, or an undecodable or empty
 * reference, is ERR_MTOM_BAD_REFERENCE: XOP packages here only reference their own parts.
 */
export function _contentIdFromHref(href: string | undefined): string {
  const bad = (why: string): never => {
    throw new PasserelleError('ERR_MTOM_BAD_REFERENCE', `Invalid xop:Include reference: ${why}`, {
      hint: 'Only "cid:" references to a part of the same MTOM package are accepted.',
      details: { href: (href ?? '(none)').slice(0, 120) },
    });
  };
  if (href === undefined || href === '') return bad('the href attribute is missing');
  if (!/^cid:/i.test(href)) return bad('not a cid: URL');
  let id: string;
  try {
    id = decodeURIComponent(href.slice(4));
  } catch {
    return bad('invalid %-encoding');
  }
  if (!CONTENT_ID.test(id)) return bad('not a valid Content-ID');
  return id;
}

/** The Content-ID inside a header value `<id>` (angle brackets required, RFC 2045 §7). */
export function _parseContentIdHeader(value: string): string {
  const m = /^\s*<([^<>]*)>\s*$/.exec(value);
  if (!m || !CONTENT_ID.test(m[1]!)) {
    throw new PasserelleError('ERR_MTOM_MALFORMED', 'Malformed Content-ID header', {
      details: { value: value.slice(0, 120) },
    });
  }
  return m[1]!;
}
