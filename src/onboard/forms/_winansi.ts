/**
 * Form text is brought into WinAnsi (src/pdf: the encoding of the standard Helvetica fonts)
 * before layout: letters with diacritics outside it lose their marks (ő → o, ć → c), a few
 * letters and symbols have a plain-Latin stand-in (ł → l, → → ->), and anything else is refused
 * with the field named, so pdf-lib never fails half-way through a page.
 */
import { PasserelleError } from '../../errors.ts';
import { mapWinAnsi, standIn } from '../../pdf/index.ts';

/** Stand-ins of the forms beyond the shared ones (letters of names). */
const FORM_STAND_IN: Readonly<Record<string, string>> = {
  ĸ: 'k',
  ŉ: "'n",
};

/**
 * Returns `text` in NFC with every character encodable in WinAnsi (transliterating where a plain
 * Latin stand-in exists). Tabs become spaces; line breaks are kept when `multiline` (as "\n"),
 * else refused. Any other control character, or a character with no stand-in (CJK, emoji, ...),
 * is refused with ERR_ONBOARD_FORM_INVALID naming `field`.
 */
export function toWinAnsi(text: string, field: string, multiline = false): string {
  return mapWinAnsi(text, (char, cp) => {
    if (char === '\t') return ' ';
    if (char === '\n' && multiline) return '\n';
    const control = cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
    const stand = control ? undefined : standIn(char, FORM_STAND_IN);
    if (stand !== undefined) return stand;
    const shown = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new PasserelleError(
      'ERR_ONBOARD_FORM_INVALID',
      `${field}: character ${shown} cannot be printed with the PDF standard fonts (WinAnsi)`,
      { details: { field, character: shown } },
    );
  });
}
