import { PasserelleError } from '../../errors.ts';

/** A parsed MIME Content-Type (RFC 2045 §5.1): lower-cased type and parameter names. */
export interface _MediaType {
  /** `type/subtype`, lower case. */
  readonly type: string;
  /** Parameter values as given (quotes removed); names lower case. */
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function malformed(what: string, value: string): never {
  throw new PasserelleError('ERR_MTOM_MALFORMED', `Malformed ${what}`, {
    details: { value: value.slice(0, 200) },
  });
}

/**
 * Parses `type/subtype *(; name=value)` where a value is a token or a quoted string (with
 * backslash escapes). A duplicated parameter or any other irregularity is ERR_MTOM_MALFORMED.
 */
export function _parseMediaType(value: string, what = 'Content-Type'): _MediaType {
  const text = value.trim();
  const slash = /^([^\s;/]+)\/([^\s;]+)\s*/.exec(text);
  if (!slash || !TOKEN.test(slash[1]!) || !TOKEN.test(slash[2]!)) malformed(what, value);
  const params = new Map<string, string>();
  let i = slash[0].length;
  while (i < text.length) {
    if (text[i] !== ';') malformed(what, value);
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break; // a trailing ";" is tolerated
    const eq = text.indexOf('=', i);
    if (eq < 0) malformed(what, value);
    const name = text.slice(i, eq).trim().toLowerCase();
    if (!TOKEN.test(name) || params.has(name)) malformed(what, value);
    i = eq + 1;
    while (text[i] === ' ' || text[i] === '\t') i++;
    let v = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) malformed(what, value);
        const c = text[i]!;
        if (c === '"') break;
        if (c === '\\') {
          i++;
          if (i >= text.length) malformed(what, value);
        }
        v += text[i];
        i++;
      }
      i++;
    } else {
      const end = text.slice(i).search(/[\s;]/);
      v = end < 0 ? text.slice(i) : text.slice(i, i + end);
      if (!TOKEN.test(v)) malformed(what, value);
      i += v.length;
    }
    params.set(name, v);
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  return { type: `${slash[1]}/${slash[2]}`.toLowerCase(), params };
}

/** A parameter value as a token when it is one, else as a quoted string. */
export function _formatParam(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new TypeError(`MIME parameter ${name} cannot hold a line break`);
  return `${name}="${value.replace(/(["\\])/g, '\\$1')}"`;
}
