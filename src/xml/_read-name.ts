import { fail } from './_lexical.ts';
import { ASCII_NAME_CHAR, isName } from './_names.ts';

/** What readName found besides the end of a name (one object per parser, reused). */
export class NameScan {
  /** Offset in the name of its first colon (-1: none). */
  colon = -1;
  /** The name has more than one colon (so it is not a QName). */
  moreColons = false;
}

/**
 * Reads an XML Name at `at` in `src` (ASCII on a fast path) and returns its end; leaves the
 * offset of its first colon, and whether it has another, in `scan`.
 */
export function readName(src: string, at: number, scan: NameScan): number {
  let p = at;
  let ascii = true;
  let colon = -1;
  let more = false;
  for (;;) {
    const c = src.charCodeAt(p);
    if (c < 128) {
      if (ASCII_NAME_CHAR[c] !== 1) break;
      if (c === 0x3a) {
        if (colon < 0) colon = p - at;
        else more = true;
      }
    } else if (Number.isNaN(c)) break;
    else ascii = false;
    p++;
  }
  const first = src.charCodeAt(at);
  if (p === at || (first >= 0x30 && first <= 0x39) || first === 0x2d || first === 0x2e)
    fail('ERR_XML_MALFORMED', 'invalid name', at);
  if (!ascii && !isName(src.slice(at, p))) fail('ERR_XML_MALFORMED', 'invalid name', at);
  scan.colon = colon;
  scan.moreColons = more;
  return p;
}
