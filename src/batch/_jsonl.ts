/** One JSON Lines record: its line and object, or why it is not one. */
export interface _JsonlRecord {
  readonly line: number;
  readonly value?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

function parse(line: number, text: string): _JsonlRecord {
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { line, error: 'the line is not a JSON object' };
    return { line, value: value as Record<string, unknown> };
  } catch {
    return { line, error: 'the line is not valid JSON' };
  }
}

/**
 * A streaming JSON Lines reader: one object per line (LF or CRLF), blank lines skipped, a leading
 * byte order mark dropped. Holds one line at a time; a line that is not a JSON object is yielded
 * with its error.
 */
export async function* _jsonlRecords(chunks: AsyncIterable<string>): AsyncGenerator<_JsonlRecord> {
  let rest = '';
  let line = 0;
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    rest += chunk;
    let start = 0;
    let at = rest.indexOf('\n', start);
    while (at >= 0) {
      line++;
      const text = rest.slice(start, at).replace(/\r$/, '');
      if (text.trim() !== '') yield parse(line, text);
      start = at + 1;
      at = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  line++;
  if (rest.trim() !== '') yield parse(line, rest.replace(/\r$/, ''));
}
