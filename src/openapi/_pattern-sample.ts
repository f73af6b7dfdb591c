/**
 * A string that matches a regular expression, for the patterns contracts commonly write:
 * anchors, literals, escapes (`\d \w \s` and their negations), character classes with ranges and
 * negation, quantifiers (`? * + {n} {n,} {n,m}`, lazy or not), groups (capturing, `(?:`, named;
 * lookarounds produce nothing) and alternation (the first branch). Deterministic: each repetition
 * takes its minimum count plus `grow` (bounded by its maximum), each class its first member.
 * Lookaheads are not honoured: callers check the result and try `last` when it fails.
 */

type Node =
  /** `alt`: the other end of a class or escape (`9` for `\d`), for a second try. */
  | { readonly kind: 'text'; readonly text: string; readonly alt?: string }
  | { readonly kind: 'seq'; readonly items: readonly Repeat[] }
  | { readonly kind: 'alt'; readonly branches: readonly Node[] };

interface Repeat {
  readonly node: Node;
  readonly min: number;
  readonly max: number;
}

const EMPTY: Node = { kind: 'text', text: '' };
/** Characters tried, in order, for a negated class. */
const CANDIDATES = 'aA0_-. xzZ9';

/** The second choice of an escape class (the first is in ESCAPES). */
const LAST: Record<string, string> = { d: '9', w: 'z', D: 'z', S: 'z' };

const ESCAPES: Record<string, string> = {
  d: '0',
  D: 'a',
  w: 'a',
  W: '-',
  s: ' ',
  S: 'a',
  n: '\n',
  r: '\r',
  t: '\t',
  f: '\f',
  v: '\v',
  '0': '\0',
};

class Parser {
  #i = 0;
  constructor(readonly source: string) {}

  parse(): Node {
    const node = this.#alternation();
    return node;
  }

  #peek(): string | undefined {
    return this.source[this.#i];
  }

  #alternation(): Node {
    const branches = [this.#sequence()];
    while (this.#peek() === '|') {
      this.#i++;
      branches.push(this.#sequence());
    }
    return branches.length === 1 ? branches[0]! : { kind: 'alt', branches };
  }

  #sequence(): Node {
    const items: Repeat[] = [];
    for (let c = this.#peek(); c !== undefined && c !== '|' && c !== ')'; c = this.#peek()) {
      const node = this.#atom();
      items.push(this.#quantified(node));
    }
    return { kind: 'seq', items };
  }

  #atom(): Node {
    const c = this.source[this.#i++]!;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '.') return { kind: 'text', text: 'a' };
    if (c === '\\') {
      const e = this.#peek() ?? '';
      const text = this.#escape(false);
      return { kind: 'text', text, alt: LAST[e] ?? text };
    }
    if (c === '[') {
      const [text, alt] = this.#class();
      return { kind: 'text', text, alt };
    }
    if (c === '(') {
      let silent = false;
      if (this.source.startsWith('?:', this.#i)) this.#i += 2;
      else if (/^\?<?[=!]/.test(this.source.slice(this.#i, this.#i + 3))) {
        silent = true;
        this.#i += this.source[this.#i + 1] === '<' ? 3 : 2;
      } else if (this.source.startsWith('?<', this.#i)) {
        const end = this.source.indexOf('>', this.#i);
        this.#i = end < 0 ? this.#i + 2 : end + 1;
      }
      const inner = this.#alternation();
      if (this.#peek() === ')') this.#i++;
      return silent ? EMPTY : inner;
    }
    return { kind: 'text', text: c };
  }

  #escape(inClass: boolean): string {
    const c = this.source[this.#i++] ?? '\\';
    if (c === 'b') return inClass ? '\b' : '';
    if (c === 'B') return '';
    if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(this.source.slice(this.#i, this.#i + 4))) {
      this.#i += 4;
      return String.fromCharCode(Number.parseInt(this.source.slice(this.#i - 4, this.#i), 16));
    }
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(this.source.slice(this.#i, this.#i + 2))) {
      this.#i += 2;
      return String.fromCharCode(Number.parseInt(this.source.slice(this.#i - 2, this.#i), 16));
    }
    if (/[1-9]/.test(c) && !inClass) return '';
    return ESCAPES[c] ?? c;
  }

  /** A class `[...]`: its first member (and the last of that range), or for `[^...]` candidates it excludes. */
  #class(): [string, string] {
    const negated = this.#peek() === '^';
    if (negated) this.#i++;
    const members: { from: string; to: string; test?: RegExp }[] = [];
    let first = true;
    while (this.#i < this.source.length && (this.#peek() !== ']' || first)) {
      first = false;
      let c = this.source[this.#i++]!;
      let test: RegExp | undefined;
      if (c === '\\') {
        const e = this.source[this.#i]!;
        if ('dDwWsS'.includes(e)) test = new RegExp(`\\${e}`);
        c = this.#escape(true);
      }
      if (
        test === undefined &&
        this.#peek() === '-' &&
        this.source[this.#i + 1] !== ']' &&
        this.#i + 1 < this.source.length
      ) {
        this.#i++;
        let to = this.source[this.#i++]!;
        if (to === '\\') to = this.#escape(true);
        members.push({ from: c, to });
      } else members.push({ from: c, to: c, ...(test ? { test } : {}) });
    }
    this.#i++;
    const inClass = (ch: string) =>
      members.some((m) => (m.test ? m.test.test(ch) : ch >= m.from && ch <= m.to));
    if (!negated) return [members[0]?.from ?? '', members[0]?.to ?? ''];
    const outside = [...CANDIDATES].filter((ch) => !inClass(ch));
    return [outside[0] ?? '~', outside[1] ?? outside[0] ?? '~'];
  }

  #quantified(node: Node): Repeat {
    const c = this.#peek();
    let min = 1;
    let max = 1;
    if (c === '?' || c === '*' || c === '+') {
      this.#i++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.#i));
      if (m === null) return { node, min, max };
      this.#i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    } else return { node, min, max };
    if (this.#peek() === '?' || this.#peek() === '+') this.#i++;
    return { node, min, max };
  }
}

function render(node: Node, grow: number, last: boolean): string {
  if (node.kind === 'text') return last ? (node.alt ?? node.text) : node.text;
  if (node.kind === 'alt') return render(node.branches[0]!, grow, last);
  return node.items
    .map(({ node: inner, min, max }) =>
      render(inner, grow, last).repeat(Math.min(max, min + (max > min ? grow : 0))),
    )
    .join('');
}

/**
 * A string matching `pattern` (JavaScript syntax, unanchored semantics). `grow` adds that many
 * repetitions to each open-ended quantifier, to reach a minimum length; `last` takes the other end
 * of each class (`9` for `[0-9]`), a second try where a lookahead refuses the first.
 */
export function patternSample(pattern: string, grow = 0, last = false): string {
  return render(new Parser(pattern).parse(), grow, last);
}
