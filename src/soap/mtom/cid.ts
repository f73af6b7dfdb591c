import { _cidUrl, _contentIdFromHref, _newContentId } from './content-id.ts';

/** `cid:` URL ↔ Content-ID (RFC 2392) and fresh Content-IDs, for code that builds XOP envelopes. */
export const cid = Object.freeze({
  /** The `cid:` URL of a Content-ID (%-encoded). TypeError for an invalid id. */
  url: _cidUrl,
  /** The Content-ID of a `cid:` URL; anything else is ERR_MTOM_BAD_REFERENCE. */
  parse: (href: string): string => _contentIdFromHref(href),
  /** A fresh `<uuid>@passerelle` Content-ID (no angle brackets). */
  create: _newContentId,
});
