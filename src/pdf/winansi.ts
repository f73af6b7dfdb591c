/**
 * The PDF standard fonts (Helvetica, Courier) encode text in WinAnsi (Windows-1252): U+0020–U+007E,
 * U+00A0–U+00FF and the typographic characters WinAnsi maps into 0x80–0x9F. What every PDF
 * producer shares lives here: the set itself, the plain-Latin stand-ins for letters and symbols
 * outside it (ł → l, → → ->, ő → o), and the walk over a text. What to do with a character that
 * has no stand-in (refuse it, print "?") is the producer's own choice.
 */

/** The code points WinAnsi maps into 0x80–0x9F. */
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

/** Whether the standard fonts can print the character `codePoint`. */
export function isWinAnsi(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_HIGH.has(codePoint)
  );
}

/**
 * The WinAnsi text standing in for `char` (one character outside WinAnsi): from `extra` (a
 * producer's own additions), else the shared table, else the character without its marks when
 * all that is left is WinAnsi. Undefined when there is none (CJK, emoji, a lone mark...).
 */
export function standIn(char: string, extra: Readonly<Record<string, string>> = {}): string | undefined {
  const listed = extra[char] ?? STAND_IN[char];
  if (listed !== undefined) return listed;
  const base = char.normalize('NFD').replace(/\p{M}+/gu, '');
  if (base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0)!))) return base;
  return undefined;
}

/**
 * `text` in NFC with CR LF and CR folded to "\n": every WinAnsi character kept, every other
 * one (line breaks and tabs included) replaced by what `other` returns for it. `other` may
 * throw to refuse the text.
 */
export function mapWinAnsi(text: string, other: (char: string, codePoint: number) => string): string {
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const cp = char.codePointAt(0)!;
    out += isWinAnsi(cp) ? char : other(char, cp);
  }
  return out;
}
