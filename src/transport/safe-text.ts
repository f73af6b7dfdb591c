// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const _UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Printable, bounded text from the server: control characters (C0, DEL, C1) and the invisible
 * bidirectional controls (which can make a terminal show text in another order) become spaces,
 * and the text is cut to `max` characters (an ellipsis marks the cut).
 */
export function safeText(value: unknown, max = 300): string | null {
  if (typeof value !== 'string') return null;
  const clean = value.replace(_UNPRINTABLE, ' ');
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}
