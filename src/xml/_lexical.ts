import { PasserelleError } from '../errors.ts';
import { isName } from './_names.ts';

// Lexical rules of XML 1.0 (fifth edition) shared by the parser: errors, character classes,
// the XML declaration, references.

type SyntaxCode =
  | 'ERR_XML_DOCTYPE'
  | 'ERR_XML_PROCESSING_INSTRUCTION'
  | 'ERR_XML_MULTIPLE_ROOTS'
  | 'ERR_XML_MALFORMED';

export function fail(code: SyntaxCode, message: string, at: number): never {
  throw new PasserelleError(
    code,
    code === 'ERR_XML_MALFORMED' ? `The XML is not well-formed: ${message}` : message,
    { details: { offset: at } },
  );
}

export function limit(message: string, at: number): never {
  throw new PasserelleError('ERR_XML_LIMIT', message, {
    hint: 'Raise the limit in the parse options if this input is legitimate.',
    details: { offset: at },
  });
}

/** Characters XML 1.0 forbids anywhere (controls, U+FFFE/U+FFFF, unpaired surrogates). */
export const INVALID_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A cheap superset of INVALID_CHAR (surrogates included): most documents never need the exact test. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const SUSPECT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
export const XML_DECL =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/y;
export const ATTR_WHITESPACE = /[\t\n]/g;
/** Characters of an RFC 3986 URI reference (IRI characters beyond ASCII allowed): namespace names. */
export const URI_REFERENCE = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%\u0080-\u{10FFFF}]*$/u;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** `source` with its line ends normalised (§2.11), refused when it holds a character XML forbids. */
export function normaliseSource(source: string): string {
  const src = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  const bad = SUSPECT_CHAR.test(src) ? INVALID_CHAR.exec(src) : null;
  if (bad) {
    const cp = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    fail('ERR_XML_MALFORMED', `U+${cp} is not allowed in XML`, bad.index);
  }
  return src;
}

export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * The next offset of one character in a text, for queries whose start never moves back (a parser
 * reading forward): each native scan resumes only when the last one is passed, so all the queries
 * of a document scan it once.
 */
export class NextChar {
  readonly #src: string;
  readonly #ch: string;
  #at = -1;

  constructor(src: string, ch: string) {
    this.#src = src;
    this.#ch = ch;
  }

  /** The first offset ≥ `from` of the character (the text's length when none). */
  from(from: number): number {
    if (this.#at < from) {
      const i = this.#src.indexOf(this.#ch, from);
      this.#at = i < 0 ? this.#src.length : i;
    }
    return this.#at;
  }
}

/** '&', '<' or '>' for the `len` characters at `i` amp, lt or gt (read without a slice). */
function commonEntity(raw: string, i: number, len: number): string | undefined {
  if (len === 3)
    return raw.charCodeAt(i) === 0x61 && raw.charCodeAt(i + 1) === 0x6d && raw.charCodeAt(i + 2) === 0x70
      ? '&'
      : undefined;
  if (len !== 2 || raw.charCodeAt(i + 1) !== 0x74) return undefined;
  const a = raw.charCodeAt(i);
  return a === 0x6c ? '<' : a === 0x67 ? '>' : undefined;
}

/**
 * What decodeReferences saw: whether every reference is one C14N 1.0 (§2.3) writes as is (one
 * per parser, reused).
 */
export class ReferenceScan {
  /** In text: &amp; &lt; &gt; &#xD; only. */
  text = true;
  /** In an attribute value: &amp; &lt; &quot; &#x9; &#xA; &#xD; only. */
  attr = true;
}

/**
 * Replaces the references of `raw` (the 5 predefined entities and character references); with
 * `scan`, tells it whether each reference is written as C14N writes it (no regex over the text).
 */
export function decodeReferences(raw: string, at: number, scan?: ReferenceScan): string {
  let out = '';
  let from = 0;
  let text = true;
  let attr = true;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi < 0) fail('ERR_XML_MALFORMED', 'an "&" does not start a reference', at + amp);
    let decoded = commonEntity(raw, amp + 1, semi - amp - 1);
    if (decoded !== undefined) {
      if (decoded === '>') attr = false;
      out += raw.slice(from, amp) + decoded;
      from = semi + 1;
      continue;
    }
    const ref = raw.slice(amp + 1, semi);
    if (ref !== '#xD') {
      text = false;
      if (ref !== 'quot' && ref !== '#x9' && ref !== '#xA') attr = false;
    }
    if (ref.charCodeAt(0) === 0x23 /* # */) {
      const hex = ref.charCodeAt(1) === 0x78; /* x */
      const digits = ref.slice(hex ? 2 : 1);
      if (digits.length === 0 || digits.length > 8 || !(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits))
        fail('ERR_XML_MALFORMED', `invalid character reference "&${ref};"`, at + amp);
      const cp = Number.parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(cp)) fail('ERR_XML_MALFORMED', `"&${ref};" is not an XML character`, at + amp);
      decoded = String.fromCodePoint(cp);
    } else {
      decoded = PREDEFINED[ref];
      if (decoded === undefined || !Object.hasOwn(PREDEFINED, ref)) {
        fail(
          'ERR_XML_MALFORMED',
          isName(ref) ? `the entity "&${ref};" is not declared` : 'an "&" does not start a reference',
          at + amp,
        );
      }
    }
    out += raw.slice(from, amp) + decoded;
    from = semi + 1;
  }
  if (scan !== undefined) {
    scan.text = text;
    scan.attr = attr;
  }
  return out + raw.slice(from);
}
