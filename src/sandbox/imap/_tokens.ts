/**
 * The IMAP command tokenizer: atoms, quoted strings, literals, parenthesised lists. A command
 * arrives as segments: each line's text and, when the line ended with `{n}`, the n literal bytes.
 */
export type Token =
  | { readonly kind: 'atom'; readonly value: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'literal'; readonly value: Buffer }
  | { readonly kind: 'list'; readonly items: Token[] };

export interface Segment {
  readonly text: string;
  readonly literal?: Buffer;
}

export class ParseError extends Error {}

const MAX_DEPTH = 16;
const MAX_TOKENS = 10_000;

const LITERAL_AT_END = /\{(\d{1,12})(\+?)\}$/;

/** The `{n}` / `{n+}` marker at the end of a line, if any. */
export function literalMarker(line: string): { size: number; sync: boolean } | undefined {
  const m = LITERAL_AT_END.exec(line);
  if (!m) return undefined;
  return { size: Number(m[1]), sync: m[2] !== '+' };
}

/** Tokenizes a whole command: `tag command args...`. */
export function tokenize(segments: readonly Segment[]): Token[] {
  let seg = 0;
  let pos = 0;
  let count = 0;
  const text = (): string => segments[seg]?.text ?? '';

  const readList = (depth: number, close: string | undefined): Token[] => {
    if (depth > MAX_DEPTH) throw new ParseError('lists nested too deep');
    const out: Token[] = [];
    for (;;) {
      const t = text();
      if (pos >= t.length) {
        if (close) throw new ParseError('unterminated list');
        return out;
      }
      const c = t[pos];
      if (c === ' ') {
        pos++;
        continue;
      }
      if (++count > MAX_TOKENS) throw new ParseError('too many tokens');
      if (c === ')') {
        if (close !== ')') throw new ParseError('unexpected )');
        pos++;
        return out;
      }
      if (c === '(') {
        pos++;
        out.push({ kind: 'list', items: readList(depth + 1, ')') });
      } else if (c === '"') out.push({ kind: 'string', value: readQuoted() });
      else if (c === '{' && LITERAL_AT_END.test(t.slice(pos))) {
        const literal = segments[seg]?.literal;
        if (!literal) throw new ParseError('literal without data');
        out.push({ kind: 'literal', value: literal });
        seg++;
        pos = 0;
      } else out.push({ kind: 'atom', value: readAtom() });
    }
  };

  const readQuoted = (): string => {
    const t = text();
    let out = '';
    for (let i = pos + 1; i < t.length; i++) {
      const c = t[i];
      if (c === '\\') {
        const next = t[i + 1];
        if (next !== '"' && next !== '\\') throw new ParseError('bad escape in quoted string');
        out += next;
        i++;
      } else if (c === '"') {
        pos = i + 1;
        return out;
      } else out += c;
    }
    throw new ParseError('unterminated quoted string');
  };

  /** An atom; `[...]` inside one (BODY[HEADER.FIELDS (A B)]) is kept whole, spaces included. */
  const readAtom = (): string => {
    const t = text();
    const start = pos;
    let brackets = 0;
    while (pos < t.length) {
      const c = t[pos];
      if (c === '[') brackets++;
      else if (c === ']') brackets = Math.max(0, brackets - 1);
      else if (brackets === 0 && (c === ' ' || c === '(' || c === ')' || c === '"')) break;
      else if (c === '{' && brackets === 0) break;
      pos++;
    }
    if (brackets !== 0) throw new ParseError('unterminated [');
    if (pos === start) throw new ParseError(`unexpected character ${JSON.stringify(t[pos])}`);
    return t.slice(start, pos);
  };

  return readList(0, undefined);
}

/** The textual value of an atom, quoted string or literal (astring / mailbox name). */
export function asString(token: Token | undefined): string | undefined {
  if (!token || token.kind === 'list') return undefined;
  if (token.kind === 'literal') return token.value.toString('utf8');
  return token.value;
}

export function asAtom(token: Token | undefined): string | undefined {
  return token?.kind === 'atom' ? token.value : undefined;
}
