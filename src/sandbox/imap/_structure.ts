import { header, type MimePart, parseParams } from './_mime.ts';

/**
 * ENVELOPE and BODYSTRUCTURE (RFC 3501 §7.4.2) of a parsed message. Everything here is a
 * "binary string" (latin1: one char per byte) so that 8-bit header bytes go out unchanged.
 */

/** An IMAP string: quoted when safe, a literal otherwise; NIL for undefined. */
export function nstring(value: string | undefined): string {
  if (value === undefined) return 'NIL';
  if (/^[\x20-\x7e]*$/.test(value) && value.length < 1000)
    return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return `{${value.length}}\r\n${value}`;
}

/** A mailbox name (UTF-8) as an IMAP string, in the latin1 form of its bytes. */
export function mailboxName(name: string): string {
  return nstring(Buffer.from(name, 'utf8').toString('latin1'));
}

function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && c === '(') comment++;
    else if (!quoted && c === ')' && comment > 0) comment--;
    else if (!quoted && comment === 0 && c === '<') angle++;
    else if (!quoted && comment === 0 && c === '>' && angle > 0) angle--;
    if (c === separator && !quoted && angle === 0 && comment === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** An address list as `((name adl mailbox host) ...)`; groups are flattened. */
export function addressList(value: string | undefined): string {
  if (!value) return 'NIL';
  const out: string[] = [];
  for (let item of splitTopLevel(value, ',')) {
    const colon = item.indexOf(':');
    if (colon >= 0 && !item.slice(0, colon).includes('<') && !item.slice(0, colon).includes('"'))
      item = item.slice(colon + 1).replace(/;\s*$/, '');
    if (!item.trim()) continue;
    const m = /^(.*?)<([^>]*)>\s*$/.exec(item);
    let name: string | undefined;
    let spec: string;
    if (m) {
      name =
        (m[1] ?? '')
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .replace(/\\(.)/g, '$1') || undefined;
      spec = (m[2] ?? '').trim();
    } else spec = item.replace(/\(.*?\)/g, '').trim();
    const at = spec.lastIndexOf('@');
    const local = at < 0 ? spec : spec.slice(0, at);
    const host = at < 0 ? undefined : spec.slice(at + 1);
    out.push(`(${nstring(name)} NIL ${nstring(local)} ${nstring(host)})`);
  }
  return out.length > 0 ? `(${out.join('')})` : 'NIL';
}

export function envelope(part: MimePart): string {
  const h = (n: string) => header(part, n);
  const from = h('from');
  const fields = [
    nstring(h('date')),
    nstring(h('subject')),
    addressList(from),
    addressList(h('sender') ?? from),
    addressList(h('reply-to') ?? from),
    addressList(h('to')),
    addressList(h('cc')),
    addressList(h('bcc')),
    nstring(h('in-reply-to')),
    nstring(h('message-id')),
  ];
  return `(${fields.join(' ')})`;
}

function paramList(params: readonly (readonly [string, string])[]): string {
  if (params.length === 0) return 'NIL';
  return `(${params.map(([k, v]) => `${nstring(k.toUpperCase())} ${nstring(v)}`).join(' ')})`;
}

function disposition(part: MimePart): string {
  const value = header(part, 'content-disposition');
  if (!value) return 'NIL';
  const p = parseParams(value);
  return `(${nstring(p.value.toUpperCase())} ${paramList(p.params)})`;
}

function countLines(raw: Buffer, start: number, end: number): number {
  let lines = 0;
  for (let i = raw.indexOf(0x0a, start); i >= 0 && i < end; i = raw.indexOf(0x0a, i + 1)) lines++;
  if (end > start && raw[end - 1] !== 0x0a) lines++;
  return lines;
}

/** BODYSTRUCTURE (with extension data) or BODY (without). */
export function bodyStructure(raw: Buffer, part: MimePart, extended: boolean): string {
  const ext = (items: string[]) => (extended ? ` ${items.join(' ')}` : '');
  const language = nstring(header(part, 'content-language'));
  const location = nstring(header(part, 'content-location'));
  if (part.type === 'multipart' && part.children.length > 0) {
    const children = part.children.map((c) => bodyStructure(raw, c, extended)).join('');
    const tail = ext([paramList(part.params), disposition(part), language, location]);
    return `(${children} ${nstring(part.subtype.toUpperCase())}${tail})`;
  }
  const encoding = header(part, 'content-transfer-encoding')?.toUpperCase() ?? '7BIT';
  const fields = [
    nstring(part.type.toUpperCase()),
    nstring(part.subtype.toUpperCase()),
    paramList(part.params),
    nstring(header(part, 'content-id')),
    nstring(header(part, 'content-description')),
    nstring(encoding),
    String(part.end - part.bodyStart),
  ];
  if (part.message) {
    fields.push(
      envelope(part.message),
      bodyStructure(raw, part.message, extended),
      String(countLines(raw, part.bodyStart, part.end)),
    );
  } else if (part.type === 'text') fields.push(String(countLines(raw, part.bodyStart, part.end)));
  const tail = ext([nstring(header(part, 'content-md5')), disposition(part), language, location]);
  return `(${fields.join(' ')}${tail})`;
}
