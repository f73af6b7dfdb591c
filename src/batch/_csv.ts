/** One CSV record: the physical line it starts on, its fields, or why it is malformed. */
export interface _CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
  readonly error?: string;
}

/**
 * A streaming RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks inside
 * quotes, CRLF or LF record ends, a leading byte order mark dropped, empty lines skipped. Holds
 * one record at a time. A malformed record (a quote inside an unquoted field, text after a
 * closing quote, a quote never closed) is yielded with its error; reading goes on after it.
 */
export async function* _csvRecords(
  chunks: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<_CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let quotePending = false; // a quote met inside a quoted field: closing, or the first of ""
  let closed = false; // after a closing quote
  let error: string | undefined;
  let skipLf = false;
  let first = true;
  let line = 1;
  let recordLine = 1;

  const endRecord = (): _CsvRecord | undefined => {
    fields.push(field);
    const record =
      fields.length === 1 && fields[0] === '' && error === undefined
        ? undefined
        : { line: recordLine, fields, ...(error === undefined ? {} : { error }) };
    fields = [];
    field = '';
    closed = false;
    error = undefined;
    return record;
  };

  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (skipLf) {
        skipLf = false;
        if (c === '\n') continue;
      }
      if (quotePending) {
        quotePending = false;
        if (c === '"') {
          field += '"';
          continue;
        }
        quoted = false;
        closed = true;
      }
      if (quoted) {
        if (c === '"') quotePending = true;
        else {
          field += c;
          if (c === '\n') line++;
        }
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        closed = false;
      } else if (c === '\r' || c === '\n') {
        skipLf = c === '\r';
        const record = endRecord();
        line++;
        recordLine = line;
        if (record !== undefined) yield record;
      } else if (c === '"' && field === '' && !closed) {
        quoted = true;
      } else if (closed) {
        error ??= 'text after a closing quote';
      } else {
        if (c === '"') error ??= 'a quote inside an unquoted field';
        field += c;
      }
    }
  }
  if (quoted && !quotePending) error ??= 'a quoted field is never closed';
  const record = endRecord();
  if (record !== undefined) yield record;
}
