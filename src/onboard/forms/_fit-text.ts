/**
 * Fitting a text to a box with the standard fonts: wrapped at spaces, long words cut after
 * ':', '.', '/', '-', '_' or '@' only when no size lets them stand whole, then shrunk to a
 * minimum size. Widths come from the font's metrics (pdf-lib), so what fits here fits on paper.
 */
import type { PDFFont } from 'pdf-lib';

/** Line height as a multiple of the font size. */
export const LINE = 1.18;

export interface TextStyle {
  readonly size: number;
  /** Smallest size the text may shrink to before it is refused (default: size, no shrinking). */
  readonly minSize?: number;
  readonly bold?: boolean;
  readonly align?: 'left' | 'center';
  readonly valign?: 'top' | 'middle';
}

function cut(word: string, font: PDFFont, size: number, width: number): [string, string] {
  let n = word.length - 1;
  while (n > 1 && font.widthOfTextAtSize(word.slice(0, n), size) > width) n--;
  const head = word.slice(0, n);
  const soft = Math.max(...[':', '.', '/', '-', '_', '@'].map((c) => head.lastIndexOf(c)));
  const at = soft >= n / 3 ? soft + 1 : n;
  return [word.slice(0, at), word.slice(at)];
}

/**
 * Lines of `text` wrapped to `width` at `size` (paragraphs at "\n"). A word wider than the line
 * is cut when `cutWords`, else the text does not fit at this size (undefined).
 */
export function wrap(
  text: string,
  font: PDFFont,
  size: number,
  width: number,
  cutWords = true,
): string[] | undefined {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      let rest = word;
      while (rest.length > 1 && font.widthOfTextAtSize(rest, size) > width) {
        if (!cutWords) return undefined;
        const [head, tail] = cut(rest, font, size, width);
        lines.push(head);
        rest = tail;
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * The largest size from `size` down to `minSize` at which `text` fits the box, with its lines:
 * first without cutting any word, then (only if that fails at every size) cutting long words.
 */
export function fit(
  text: string,
  font: PDFFont,
  width: number,
  height: number,
  style: TextStyle,
): { lines: string[]; size: number } | undefined {
  for (const cutWords of [false, true]) {
    for (let size = style.size; size >= (style.minSize ?? style.size) - 1e-9; size -= 0.25) {
      const lines = wrap(text, font, size, width, cutWords);
      if (lines === undefined) continue;
      const tall = (lines.length - 1) * size * LINE + size;
      if (tall <= height && lines.every((l) => font.widthOfTextAtSize(l, size) <= width))
        return { lines, size };
    }
  }
  return undefined;
}
