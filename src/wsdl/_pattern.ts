/**
 * XML Schema regular expressions (XSD 1.0 Part 2, appendix F) for the `pattern` facet: a parser
 * into a small tree, a sample string the pattern matches, and an equivalent anchored JavaScript
 * RegExp (`v` flag) to check a value. XSD patterns are implicitly anchored; `^` and `$` are
 * ordinary characters; there are no back-references, lazy quantifiers or assertions.
 *
 * Approximations: `\i` and `\c` use Unicode letter categories for XML 1.0 name characters; block
 * escapes (`\p{IsBasicLatin}`) are known for a few Latin, Greek and Cyrillic blocks only. A
 * pattern using another block is "unsupported": no sample and no RegExp (callers fall back).
 */

type _Atom =
  | { readonly kind: 'char'; readonly c: string }
  /** A character class: its source inside a `v`-mode RegExp, and the characters to try first. */
  | { readonly kind: 'class'; readonly js: string; readonly first: readonly string[] }
  | { readonly kind: 'group'; readonly alt: _Alt };
interface _Piece {
  readonly atom: _Atom;
  readonly min: number;
  readonly max: number;
}
type _Alt = readonly (readonly _Piece[])[];

class _Syntax extends Error {}

const MAX_PATTERN = 4096;
const MAX_REPEAT = 1000;
const cp = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;

const SPACE = '[\\u{20}\\u{9}\\u{a}\\u{d}]';
const LETTER = '\\p{Ll}\\p{Lu}\\p{Lo}\\p{Lt}\\p{Nl}';
/** Multi-character escapes: `v`-mode class source and preferred characters. */
const MULTI: Readonly<Record<string, { js: string; first: string[] }>> = {
  s: { js: SPACE, first: [' '] },
  S: { js: `[^${SPACE}]`, first: [] },
  d: { js: '\\p{Nd}', first: ['0'] },
  D: { js: '\\P{Nd}', first: [] },
  w: { js: '[^\\p{P}\\p{Z}\\p{C}]', first: ['a'] },
  W: { js: '[\\p{P}\\p{Z}\\p{C}]', first: [] },
  i: { js: `[${LETTER}_:]`, first: ['a'] },
  I: { js: `[^${LETTER}_:]`, first: [] },
  c: { js: `[${LETTER}\\p{Lm}\\p{Nd}\\p{Mn}\\p{Mc}\\p{Me}._:\\-\\u{b7}]`, first: ['a'] },
  C: { js: `[^${LETTER}\\p{Lm}\\p{Nd}\\p{Mn}\\p{Mc}\\p{Me}._:\\-\\u{b7}]`, first: [] },
};
const SINGLE: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };
const SINGLE_LITERAL = new Set('\\|.-^?*+{}()[]'.split(''));
const CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn'.split(
    ' ',
  ),
);
const BLOCKS: Readonly<Record<string, string>> = {
  BasicLatin: '\\u{0}-\\u{7f}',
  'Latin-1Supplement': '\\u{80}-\\u{ff}',
  'LatinExtended-A': '\\u{100}-\\u{17f}',
  'LatinExtended-B': '\\u{180}-\\u{24f}',
  Greek: '\\u{370}-\\u{3ff}',
  Cyrillic: '\\u{400}-\\u{4ff}',
};
/** Characters tried, in order, after a class's own first characters: one per common category. */
const FALLBACK = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'_-.:@!#%&*,;?/\\\'"()[]{}<>=+$^`|~',
  ' ',
  ...'\u00e9\u00c9\u00aa\u01c5\u02b0\u0300\u0903\u0488\u2160\u00b2\u00a9\u00ad\u00b7\u2028\u2029\ue000\t',
];

class _Parser {
  readonly #s: string;
  #i = 0;

  constructor(source: string) {
    this.#s = source;
  }

  parse(): _Alt {
    const alt = this.#alt();
    if (this.#i < this.#s.length) throw new _Syntax(`unexpected "${this.#s[this.#i]}"`);
    return alt;
  }

  #peek(): string | undefined {
    const c = this.#s.codePointAt(this.#i);
    return c === undefined ? undefined : String.fromCodePoint(c);
  }

  #next(): string {
    const c = this.#peek();
    if (c === undefined) throw new _Syntax('unexpected end');
    this.#i += c.length;
    return c;
  }

  #alt(): _Alt {
    const branches = [this.#branch()];
    while (this.#peek() === '|') {
      this.#next();
      branches.push(this.#branch());
    }
    return branches;
  }

  #branch(): _Piece[] {
    const pieces: _Piece[] = [];
    for (let c = this.#peek(); c !== undefined && c !== '|' && c !== ')'; c = this.#peek())
      pieces.push(this.#piece());
    return pieces;
  }

  #piece(): _Piece {
    const atom = this.#atom();
    const c = this.#peek();
    if (c === '?' || c === '*' || c === '+') {
      this.#next();
      return { atom, min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity };
    }
    if (c !== '{') return { atom, min: 1, max: 1 };
    this.#next();
    const min = this.#number();
    let max = min;
    if (this.#peek() === ',') {
      this.#next();
      max = this.#peek() === '}' ? Infinity : this.#number();
    }
    if (this.#next() !== '}' || max < min) throw new _Syntax('bad quantifier');
    return { atom, min, max };
  }

  #number(): number {
    const start = this.#i;
    while (/[0-9]/.test(this.#peek() ?? '')) this.#next();
    const n = Number(this.#s.slice(start, this.#i));
    if (start === this.#i || n > MAX_REPEAT) throw new _Syntax('bad quantity');
    return n;
  }

  #atom(): _Atom {
    const c = this.#next();
    if (c === '(') {
      const alt = this.#alt();
      if (this.#next() !== ')') throw new _Syntax('unclosed group');
      return { kind: 'group', alt };
    }
    if (c === '[') return this.#classExpr();
    if (c === '.') return { kind: 'class', js: '[^\\u{a}\\u{d}]', first: [] };
    if (c === '\\') return this.#escape();
    if ('?*+{}()|[]'.includes(c)) throw new _Syntax(`unescaped "${c}"`);
    return { kind: 'char', c };
  }

  /** After `\`: a single character, or a class (multi-character, category or block escape). */
  #escape(): _Atom {
    const c = this.#next();
    if (SINGLE[c] !== undefined) return { kind: 'char', c: SINGLE[c] };
    if (SINGLE_LITERAL.has(c)) return { kind: 'char', c };
    const multi = MULTI[c];
    if (multi !== undefined) return { kind: 'class', ...multi };
    if (c === 'p' || c === 'P') {
      if (this.#next() !== '{') throw new _Syntax('bad \\p');
      const end = this.#s.indexOf('}', this.#i);
      if (end < 0) throw new _Syntax('bad \\p');
      const name = this.#s.slice(this.#i, end);
      this.#i = end + 1;
      let js: string;
      if (CATEGORIES.has(name)) js = `\\p{${name}}`;
      else if (name.startsWith('Is') && BLOCKS[name.slice(2)] !== undefined)
        js = `[${BLOCKS[name.slice(2)]}]`;
      else throw new _Syntax(`unsupported \\p{${name}}`);
      if (c === 'P') js = js.startsWith('[') ? `[^${js.slice(1)}` : `\\P${js.slice(2)}`;
      return { kind: 'class', js, first: [] };
    }
    throw new _Syntax(`unknown escape \\${c}`);
  }

  /** After `[`: a positive or negative group, with an optional subtraction, up to `]`. */
  #classExpr(): _Atom {
    let negated = false;
    if (this.#peek() === '^') {
      this.#next();
      negated = true;
    }
    const parts: string[] = [];
    const first: string[] = [];
    let sub: _Atom | undefined;
    for (;;) {
      const c = this.#peek();
      if (c === undefined) throw new _Syntax('unclosed class');
      if (c === ']' && parts.length > 0) {
        this.#next();
        break;
      }
      if (c === '-' && this.#s[this.#i + 1] === '[' && parts.length > 0) {
        this.#next();
        this.#next();
        sub = this.#classExpr();
        if (this.#next() !== ']') throw new _Syntax('subtraction must end the class');
        break;
      }
      const item = this.#classChar();
      if (typeof item !== 'string') {
        parts.push(item.js);
        first.push(...item.first);
        continue;
      }
      const nextIsRange =
        this.#peek() === '-' && this.#s[this.#i + 1] !== ']' && this.#s[this.#i + 1] !== '[';
      if (!nextIsRange) {
        parts.push(cp(item));
        first.push(item);
        continue;
      }
      this.#next();
      const end = this.#classChar();
      if (typeof end !== 'string' || end.codePointAt(0)! < item.codePointAt(0)!)
        throw new _Syntax('bad range');
      parts.push(`${cp(item)}-${cp(end)}`);
      const lo = item.codePointAt(0)!;
      const hi = end.codePointAt(0)!;
      for (let x = lo; x <= hi && x < lo + 3; x++) first.push(String.fromCodePoint(x));
    }
    let js = `[${negated ? '^' : ''}${parts.join('')}]`;
    if (sub !== undefined && sub.kind === 'class') js = `[${js}--${sub.js}]`;
    return { kind: 'class', js, first: negated ? [] : first };
  }

  /** One character of a class, or a class escape inside it. */
  #classChar(): string | { js: string; first: readonly string[] } {
    const c = this.#next();
    if (c === '\\') {
      const atom = this.#escape();
      return atom.kind === 'char' ? atom.c : atom.kind === 'class' ? atom : '';
    }
    if (c === '[') throw new _Syntax('unescaped "[" in a class');
    return c;
  }
}

interface _Compiled {
  readonly alt: _Alt;
  readonly re: RegExp;
}

const cache = new Map<string, _Compiled | null>();
const MAX_CACHE = 512;

function _compile(pattern: string): _Compiled | undefined {
  const known = cache.get(pattern);
  if (known !== undefined) return known ?? undefined;
  let compiled: _Compiled | null = null;
  if (pattern.length <= MAX_PATTERN) {
    try {
      const alt = new _Parser(pattern).parse();
      compiled = { alt, re: new RegExp(`^(?:${_js(alt)})$`, 'v') };
    } catch (e) {
      if (!(e instanceof _Syntax) && !(e instanceof SyntaxError)) throw e;
    }
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(pattern, compiled);
  return compiled ?? undefined;
}

function _js(alt: _Alt): string {
  return alt
    .map((branch) =>
      branch
        .map(({ atom, min, max }) => {
          const a =
            atom.kind === 'char' ? cp(atom.c) : atom.kind === 'class' ? atom.js : `(?:${_js(atom.alt)})`;
          if (min === 1 && max === 1) return a;
          return `${a}{${min},${max === Infinity ? '' : max}}`;
        })
        .join(''),
    )
    .join('|');
}

const classCache = new Map<string, string | null>();

/** The first character the class matches: its own first characters, then common ones. */
function _classSample(js: string, first: readonly string[]): string | undefined {
  const known = classCache.get(js);
  if (known !== undefined) return known ?? undefined;
  const re = new RegExp(`^${js}$`, 'v');
  const found = [...first, ...FALLBACK].find((c) => re.test(c));
  if (classCache.size >= MAX_CACHE) classCache.clear();
  classCache.set(js, found ?? null);
  return found;
}

/** Generates from `alt`; `budget.left` extra repetitions go to flexible quantifiers, left to right. */
function _generate(alt: _Alt, budget: { left: number }): string | undefined {
  for (const branch of alt) {
    let out = '';
    let ok = true;
    for (const { atom, min, max } of branch) {
      const extra = Math.min(max - min, budget.left);
      budget.left -= extra;
      const n = min + extra;
      if (n === 0) continue;
      const s =
        atom.kind === 'char'
          ? atom.c
          : atom.kind === 'class'
            ? _classSample(atom.js, atom.first)
            : _generate(atom.alt, budget);
      if (s === undefined) {
        ok = false;
        break;
      }
      out += s.repeat(n);
    }
    if (ok) return out;
  }
  return undefined;
}

/** An anchored JavaScript equivalent of the XSD pattern; undefined when unsupported or invalid. */
export function _patternRegExp(pattern: string): RegExp | undefined {
  return _compile(pattern)?.re;
}

const MAX_STRETCH = 64;

/**
 * A short string matching the XSD `pattern` (first alternatives, fewest repetitions), stretched
 * when needed to a length (in characters) between `minLength` and `maxLength`; undefined when the
 * pattern is unsupported. Deterministic.
 */
export function _patternSample(pattern: string, minLength = 0, maxLength = Infinity): string | undefined {
  const compiled = _compile(pattern);
  if (compiled === undefined) return undefined;
  let first: string | undefined;
  for (let stretch = 0; stretch <= MAX_STRETCH; stretch++) {
    const s = _generate(compiled.alt, { left: stretch });
    if (s === undefined) return undefined;
    first ??= s;
    const length = [...s].length;
    if (length >= minLength && length <= maxLength && compiled.re.test(s)) return s;
    if (length > maxLength) break;
  }
  return first;
}
