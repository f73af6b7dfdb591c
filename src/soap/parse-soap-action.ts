/**
 * Reads a received `SOAPAction` header (server side): the quoted URI, unquoted. Returns
 * `undefined` when the header is absent; an unquoted value is accepted as is (lenient peers).
 */
export function parseSoapAction(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = (typeof header === 'string' ? header : (header[0] ?? '')).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
  return value;
}
