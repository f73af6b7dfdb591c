import { type MimePart, partAt } from './_mime.ts';
import { ParseError } from './_tokens.ts';

const SECTION =
  /^((?:[1-9]\d{0,4}\.)*[1-9]\d{0,4})?\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?(?:\s*\(([^)]*)\))?$/i;

/** The header fields of a block whose names are (or, with `not`, are not) in `names`, then CRLF. */
function headerFields(block: Buffer, names: readonly string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const text = block.toString('latin1');
  const fields: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += line;
    else if (line.trim() !== '') fields.push(line);
  }
  const kept = fields.filter((f) => {
    const name = f
      .slice(0, Math.max(0, f.indexOf(':')))
      .trim()
      .toLowerCase();
    return name !== '' && wanted.has(name) !== not;
  });
  return Buffer.from(`${kept.join('')}\r\n`, 'latin1');
}

/** The bytes of a BODY[section] (RFC 3501 §6.4.5). */
export function sectionBytes(raw: Buffer, root: MimePart, section: string): Buffer {
  const m = SECTION.exec(section.trim());
  if (!m) throw new ParseError(`invalid section ${section}`);
  const path = m[1] ? m[1].split('.').map(Number) : [];
  const spec = m[2]?.toUpperCase();
  const names =
    m[3]
      ?.trim()
      .split(/\s+/)
      .filter((n) => n !== '')
      .map((n) => n.replace(/^"(.*)"$/, '$1')) ?? [];
  if ((spec === 'HEADER.FIELDS' || spec === 'HEADER.FIELDS.NOT') !== (m[3] !== undefined))
    throw new ParseError('HEADER.FIELDS needs a list of names');
  if (spec === 'MIME' && path.length === 0) throw new ParseError('MIME needs a part number');
  const part = path.length === 0 ? root : partAt(root, path);
  if (!part) return Buffer.alloc(0);
  if (spec === undefined)
    return path.length === 0 ? raw.subarray(root.start, root.end) : raw.subarray(part.bodyStart, part.end);
  if (spec === 'MIME') return raw.subarray(part.start, part.bodyStart);
  // HEADER / TEXT of a part: of the message it encloses
  const message = path.length === 0 ? root : part.message;
  if (!message) return Buffer.alloc(0);
  const head = raw.subarray(message.start, message.bodyStart);
  if (spec === 'TEXT') return raw.subarray(message.bodyStart, message.end);
  if (spec === 'HEADER') return head;
  return headerFields(head, names, spec === 'HEADER.FIELDS.NOT');
}
