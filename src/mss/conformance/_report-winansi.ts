/**
 * The PDF standard fonts (Helvetica, Courier) encode text in WinAnsi (Windows-1252). A report
 * must print whatever a server sent, so unlike the onboarding forms (which refuse) every text is
 * brought into WinAnsi here and nothing ever makes pdf-lib throw: letters lose the marks WinAnsi
 * lacks (ő → o), a few symbols get a plain stand-in (→ → ->), control characters are shown in
 * caret notation (^A), and anything else (CJK, emoji, musical symbols...) becomes "?". The HTML
 * report and run.json keep the original text.
 */

/** The code points WinAnsi maps into 0x80–0x9F (the rest is U+0020–U+007E and U+00A0–U+00FF). */
const WIN_ANSI_HIGH = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d,
  0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e,
  0x0178,
]);

/** What the PDF prints for a character it cannot encode. */
export const REPLACEMENT = '?';

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
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\ufeff': '',
  '\u2060': '',
};

function isWinAnsi(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_HIGH.has(cp);
}

function transliterate(char: string): string {
  const standIn = STAND_IN[char];
  if (standIn !== undefined) return standIn;
  if (/^\p{M}+$/u.test(char)) return '';
  const base = char.normalize('NFD').replace(/\p{M}+/gu, '');
  if (base.length > 0 && [...base].every((c) => isWinAnsi(c.codePointAt(0)!))) return base;
  return REPLACEMENT;
}

/**
 * `text` in NFC with every character encodable in WinAnsi: line breaks kept as "\n" (CR LF and
 * CR folded), tabs as two spaces, other controls as ^X, the rest transliterated or replaced.
 */
export function pdfText(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const cp = char.codePointAt(0)!;
    if (isWinAnsi(cp)) out += char;
    else if (char === '\n') out += '\n';
    else if (char === '\t') out += '  ';
    else if (cp < 0x20) out += `^${String.fromCharCode(cp + 0x40)}`;
    else if (cp === 0x7f) out += '^?';
    else if (cp >= 0x80 && cp < 0xa0) out += REPLACEMENT;
    else out += transliterate(char);
  }
  return out;
}
