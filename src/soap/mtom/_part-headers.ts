import { PasserelleError } from '../../errors.ts';
import { _parseContentIdHeader } from './content-id.ts';
import { _parseMediaType } from './content-type.ts';

/** The headers of one part that MTOM processing uses. */
export interface _PartHead {
  /** Without angle brackets; undefined when the part has none. */
  readonly contentId: string | undefined;
  /** The raw Content-Type value (default application/octet-stream). */
  readonly contentType: string;
  /** Its `type/subtype`, lower case. */
  readonly mediaType: string;
  readonly params: ReadonlyMap<string, string>;
}

const IDENTITY_ENCODINGS = new Set(['binary', '8bit', '7bit']);

function malformed(message: string, details: Record<string, string> = {}): never {
  throw new PasserelleError('ERR_MTOM_MALFORMED', message, { details });
}

/**
 * Parses a part's header block (RFC 822 style, CRLF separated, folded lines joined). Only
 * identity transfer encodings are accepted (MTOM sends binary parts); a multipart part is a
 * nested multipart and is refused; a header repeated is refused.
 */
export function _parsePartHeaders(block: Buffer): _PartHead {
  const text = block.toString('latin1');
  const fields = new Map<string, string>();
  if (text.length > 0) {
    const lines = text.split('\r\n');
    let current: [string, string] | undefined;
    const flush = () => {
      if (!current) return;
      if (fields.has(current[0])) malformed('A part header is repeated', { header: current[0].slice(0, 60) });
      fields.set(current[0], current[1].trim());
    };
    for (const line of lines) {
      if (/[\r\n\0]/.test(line)) malformed('A part header holds a bare CR, LF or NUL');
      if (line.startsWith(' ') || line.startsWith('\t')) {
        if (!current) malformed('A part header block starts with a continuation line');
        current[1] += ` ${line.trim()}`;
        continue;
      }
      flush();
      const colon = line.indexOf(':');
      if (colon <= 0 || !/^[!-9;-~]+$/.test(line.slice(0, colon))) malformed('Malformed part header line');
      current = [line.slice(0, colon).toLowerCase(), line.slice(colon + 1)];
    }
    flush();
  }
  const encoding = fields.get('content-transfer-encoding');
  if (encoding !== undefined && !IDENTITY_ENCODINGS.has(encoding.toLowerCase())) {
    malformed('Only binary parts are accepted in an MTOM package', { encoding: encoding.slice(0, 40) });
  }
  const contentType = fields.get('content-type') ?? 'application/octet-stream';
  const { type, params } = _parseMediaType(contentType);
  if (type.startsWith('multipart/') || type === 'message/rfc822') {
    malformed('Nested multiparts are refused in an MTOM package', { contentType: type.slice(0, 80) });
  }
  const id = fields.get('content-id');
  return {
    contentId: id === undefined ? undefined : _parseContentIdHeader(id),
    contentType,
    mediaType: type,
    params,
  };
}
