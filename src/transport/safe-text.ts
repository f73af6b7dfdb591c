/** Printable, bounded text from the server (no control characters). */
export function safeText(value: unknown, max = 300): string | null {
  if (typeof value !== 'string') return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);
}
