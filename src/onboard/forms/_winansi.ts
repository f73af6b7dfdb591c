/**
 * The PDF standard fonts (Helvetica) encode text in WinAnsi (Windows-1252): Latin-1 plus the
 * typographic characters of 0x80–0x9F. Form text is brought into that set before layout:
 * letters with diacritics outside it lose their marks (ő → o, ć → c), a few letters and symbols
 * have a plain-Latin stand-in (ł → l, → → ->), and anything else is refused with the field named,
 * so pdf-lib never fails half-way through a page.
 */
import { PasserelleError } from '../../errors.ts';

/** The code points WinAnsi maps into 0x80–0x9F (the rest of the set is U+0020–U+007E and U+00A0–U+00FF). */
const WIN_ANSI_HIGH = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e,
  0x0178,
]);

/** Letters and symbols with no decomposition into a WinAnsi letter plus marks. */
const STAND_IN: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŀ: 'l',
  Ŀ: 'L',
  ĸ: 'k',
  ŉ: "'n",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
  '\u200b': '',
  '\ufeff': '',
};

export function isWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_HIGH.has(codePoint)
  );
}

function transliterate(char: string): string | undefined {
  const standIn = STAND_IN[char];
  if (standIn !== undefined) return standIn;
  const base = char.normalize('NFD').replace(/\p{M}+/gu, '');
  if (base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0)!))) return base;
  return undefined;
}

/**
 * Returns `text` in NFC with every character encodable in WinAnsi (transliterating where a plain
 * Latin stand-in exists). Tabs become spaces; line breaks are kept when `multiline` (as "\n"),
 * else refused. Any other control character, or a character with no stand-in (CJK, emoji, ...),
 * is refused with ERR_ONBOARD_FORM_INVALID naming `field`.
 */
export function toWinAnsi(text: string, field: string, multiline = false): string {
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const cp = char.codePointAt(0)!;
    if (isWinAnsi(cp)) out += char;
    else if (char === '\t') out += ' ';
    else if (char === '\n' && multiline) out += '\n';
    else {
      const standIn = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? undefined : transliterate(char);
      if (standIn === undefined) {
        const shown = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        throw new PasserelleError(
          'ERR_ONBOARD_FORM_INVALID',
          `${field}: character ${shown} cannot be printed with the PDF standard fonts (WinAnsi)`,
          { details: { field, character: shown } },
        );
      }
      out += standIn;
    }
  }
  return out;
}
