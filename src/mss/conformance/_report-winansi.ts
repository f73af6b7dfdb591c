/**
 * A report must print whatever a server sent, so unlike the onboarding forms (which refuse)
 * every text is brought into WinAnsi (src/pdf) here and nothing ever makes pdf-lib throw:
 * letters lose the marks WinAnsi lacks (ő → o), a few symbols get a plain stand-in (→ → ->),
 * control characters are shown in caret notation (^A), and anything else (CJK, emoji, musical
 * symbols...) becomes "?". The HTML report and run.json keep the original text.
 */
import { mapWinAnsi, standIn } from '../../pdf/index.ts';

/** What the PDF prints for a character it cannot encode. */
export const REPLACEMENT = '?';

/** Stand-ins of the report beyond the shared ones (symbols and spaces servers write). */
const REPORT_STAND_IN: Readonly<Record<string, string>> = {
  '\u21d2': '=>',
  '\u2248': '~',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u200c': '',
  '\u200d': '',
  '\u2060': '',
};

function transliterate(char: string): string {
  if (/^\p{M}+$/u.test(char)) return '';
  return standIn(char, REPORT_STAND_IN) ?? REPLACEMENT;
}

/**
 * `text` in NFC with every character encodable in WinAnsi: line breaks kept as "\n" (CR LF and
 * CR folded), tabs as two spaces, other controls as ^X, the rest transliterated or replaced.
 */
export function pdfText(text: string): string {
  return mapWinAnsi(text, (char, cp) => {
    if (char === '\n') return '\n';
    if (char === '\t') return '  ';
    if (cp < 0x20) return `^${String.fromCharCode(cp + 0x40)}`;
    if (cp === 0x7f) return '^?';
    if (cp >= 0x80 && cp < 0xa0) return REPLACEMENT;
    return transliterate(char);
  });
}
