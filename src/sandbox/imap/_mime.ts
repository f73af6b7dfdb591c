/**
 * A small MIME parser for BODYSTRUCTURE, ENVELOPE and part fetches: offsets into the raw message,
 * never copies. Encoded words (RFC 2047) are left as they are.
 */
export interface MimePart {
  /** Where the part's header starts, where its body starts (after the blank line), where it ends. */
  readonly start: number;
  readonly bodyStart: number;
  readonly end: number;
  readonly headers: readonly (readonly [string, string])[];
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly (readonly [string, string])[];
  readonly children: readonly MimePart[];
  /** The enclosed message of a message/rfc822 part. */
  readonly message?: MimePart;
}

const MAX_DEPTH = 20;
const MAX_PARTS = 500;

/** The first header field named `name` (case-insensitive), unfolded. */
export function header(part: MimePart, name: string): string | undefined {
  const lower = name.toLowerCase();
  return part.headers.find(([k]) => k === lower)?.[1];
}

/** Splits `value; a=b; c="d"` into the value and its parameters (names in lower case). */
export function parseParams(text: string): { value: string; params: [string, string][] } {
  const params: [string, string][] = [];
  const semi = text.indexOf(';');
  const value = (semi < 0 ? text : text.slice(0, semi)).trim();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  const rest = semi < 0 ? '' : text.slice(semi);
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    const v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    params.push([(m[1] ?? '').toLowerCase(), v]);
  }
  return { value, params };
}

function headerEnd(raw: Buffer, start: number, end: number): { headerStop: number; bodyStart: number } {
  // a part with no header at all starts with its blank line
  if (raw[start] === 0x0d && raw[start + 1] === 0x0a) return { headerStop: start, bodyStart: start + 2 };
  if (raw[start] === 0x0a) return { headerStop: start, bodyStart: start + 1 };
  const crlf = raw.indexOf('\r\n\r\n', start);
  const lf = raw.indexOf('\n\n', start);
  if (crlf >= 0 && crlf < end && (lf < 0 || crlf < lf || lf >= end))
    return { headerStop: crlf + 2, bodyStart: crlf + 4 };
  if (lf >= 0 && lf < end) return { headerStop: lf + 1, bodyStart: lf + 2 };
  return { headerStop: end, bodyStart: end };
}

function parseHeaders(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) {
      const last = out[out.length - 1] as [string, string];
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return out;
}

export function parseMime(raw: Buffer): MimePart {
  const counter = { parts: 0 };
  return parsePart(raw, 0, raw.length, 0, counter, 'text/plain');
}

function parsePart(
  raw: Buffer,
  start: number,
  end: number,
  depth: number,
  counter: { parts: number },
  defaultType: string,
): MimePart {
  counter.parts++;
  const { headerStop, bodyStart } = headerEnd(raw, start, end);
  const headers = parseHeaders(raw.toString('latin1', start, headerStop));
  const ct = headers.find(([k]) => k === 'content-type')?.[1];
  const parsed = parseParams(ct ?? defaultType);
  let [type = 'text', subtype = 'plain'] = parsed.value.toLowerCase().split('/');
  if (!type || !subtype) [type, subtype] = ['text', 'plain'];
  const params = ct
    ? parsed.params
    : defaultType === 'text/plain'
      ? [['charset', 'us-ascii'] as [string, string]]
      : [];
  const children: MimePart[] = [];
  let message: MimePart | undefined;
  const boundary = params.find(([k]) => k === 'boundary')?.[1];
  const deeper = depth < MAX_DEPTH && counter.parts < MAX_PARTS;
  if (type === 'multipart' && boundary && deeper) {
    const childDefault = subtype === 'digest' ? 'message/rfc822' : 'text/plain';
    for (const [s, e] of splitMultipart(raw, bodyStart, end, boundary)) {
      if (counter.parts >= MAX_PARTS) break;
      children.push(parsePart(raw, s, e, depth + 1, counter, childDefault));
    }
  } else if (type === 'message' && subtype === 'rfc822' && deeper) {
    message = parsePart(raw, bodyStart, end, depth + 1, counter, 'text/plain');
  }
  const part: MimePart = { start, bodyStart, end, headers, type, subtype, params, children };
  return message ? { ...part, message } : part;
}

/** The [start, end) of each body part between `--boundary` delimiter lines. */
function splitMultipart(raw: Buffer, from: number, end: number, boundary: string): [number, number][] {
  const delimiter = `--${boundary}`;
  const parts: [number, number][] = [];
  let partStart = -1;
  let pos = from;
  while (pos < end) {
    let lineEnd = raw.indexOf(0x0a, pos);
    if (lineEnd < 0 || lineEnd >= end) lineEnd = end;
    const line = raw
      .toString('latin1', pos, Math.min(lineEnd, pos + delimiter.length + 4))
      .replace(/\r$/, '');
    if (line.startsWith(delimiter)) {
      const rest = line.slice(delimiter.length).trimEnd();
      if (rest === '' || rest === '--') {
        if (partStart >= 0) {
          // the CRLF before the delimiter belongs to the delimiter
          let stop = pos;
          if (stop > partStart && raw[stop - 1] === 0x0a) stop--;
          if (stop > partStart && raw[stop - 1] === 0x0d) stop--;
          parts.push([partStart, stop]);
        }
        if (rest === '--') return parts;
        partStart = Math.min(lineEnd + 1, end);
      }
    }
    pos = lineEnd + 1;
  }
  if (partStart >= 0 && partStart < end) parts.push([partStart, end]);
  return parts;
}

/** The part at a dotted section path (`1.2`), message/rfc822 parts descended into. */
export function partAt(root: MimePart, path: readonly number[]): MimePart | undefined {
  let part: MimePart | undefined = root;
  for (const n of path) {
    if (!part) return undefined;
    const container: MimePart = part.message ?? part;
    // a non-multipart's only part is itself (RFC 3501: BODY[1] of a single-part message)
    part = container.children.length === 0 ? (n === 1 ? container : undefined) : container.children[n - 1];
  }
  return part;
}
