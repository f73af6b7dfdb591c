import { parseSearchDate } from './_dates.ts';
import { header, type MimePart, parseMime } from './_mime.ts';
import { inSet, parseSequenceSet } from './_sequence.ts';
import type { Session } from './_session.ts';
import { asAtom, asString, ParseError, type Token } from './_tokens.ts';
import type { StoredMessage } from './types.ts';

interface Candidate {
  readonly seq: number;
  readonly message: StoredMessage;
  readonly maxSeq: number;
  readonly maxUid: number;
  /** The raw message and its parse, read on first need. */
  readonly content: () => { raw: Buffer; root: MimePart };
}

type Predicate = (c: Candidate) => boolean;

const DAY = 86_400_000;

const FLAG_KEYS: Record<string, [string, boolean]> = {
  SEEN: ['\\Seen', true],
  UNSEEN: ['\\Seen', false],
  NEW: ['\\Seen', false],
  OLD: ['\\Seen', true],
  DELETED: ['\\Deleted', true],
  UNDELETED: ['\\Deleted', false],
  FLAGGED: ['\\Flagged', true],
  UNFLAGGED: ['\\Flagged', false],
  ANSWERED: ['\\Answered', true],
  UNANSWERED: ['\\Answered', false],
  DRAFT: ['\\Draft', true],
  UNDRAFT: ['\\Draft', false],
};

function contains(haystack: string | undefined, needle: string): boolean {
  return (haystack ?? '').toLowerCase().includes(needle.toLowerCase());
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function sentDay(c: Candidate): number | undefined {
  const date = header(c.content().root, 'date');
  const ms = date ? Date.parse(date) : Number.NaN;
  return Number.isFinite(ms) ? dayOf(ms) : undefined;
}

class Parser {
  #i = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.#i >= this.tokens.length;
  }

  all(): Predicate {
    const keys: Predicate[] = [];
    while (!this.done()) keys.push(this.key(0));
    if (keys.length === 0) throw new ParseError('SEARCH needs a key');
    return (c) => keys.every((k) => k(c));
  }

  #next(): Token {
    const t = this.tokens[this.#i++];
    if (!t) throw new ParseError('SEARCH key missing an argument');
    return t;
  }

  #string(): string {
    const v = asString(this.#next());
    if (v === undefined) throw new ParseError('SEARCH expected a string');
    return v;
  }

  key(depth: number): Predicate {
    if (depth > 32) throw new ParseError('SEARCH nested too deep');
    const token = this.#next();
    if (token.kind === 'list') {
      const inner = new Parser(token.items);
      const keys: Predicate[] = [];
      while (!inner.done()) keys.push(inner.key(depth + 1));
      return (c) => keys.every((k) => k(c));
    }
    const word = asAtom(token);
    if (!word) throw new ParseError('SEARCH expected a key');
    const upper = word.toUpperCase();
    const flag = FLAG_KEYS[upper];
    if (flag) return (c) => c.message.flags.includes(flag[0]) === flag[1];
    switch (upper) {
      case 'ALL':
        return () => true;
      case 'RECENT':
        return () => false;
      case 'KEYWORD':
      case 'UNKEYWORD': {
        const kw = this.#string();
        return (c) => c.message.flags.includes(kw) === (upper === 'KEYWORD');
      }
      case 'UID': {
        const set = parseSequenceSet(this.#string());
        return (c) => inSet(set, c.message.uid, c.maxUid);
      }
      case 'NOT': {
        const k = this.key(depth + 1);
        return (c) => !k(c);
      }
      case 'OR': {
        const a = this.key(depth + 1);
        const b = this.key(depth + 1);
        return (c) => a(c) || b(c);
      }
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT': {
        const s = this.#string();
        return (c) => contains(header(c.content().root, upper.toLowerCase()), s);
      }
      case 'HEADER': {
        const name = this.#string();
        const s = this.#string();
        return (c) => {
          const root = c.content().root;
          const values = root.headers.filter(([k]) => k === name.toLowerCase());
          return values.length > 0 && (s === '' || values.some(([, v]) => contains(v, s)));
        };
      }
      case 'BODY':
      case 'TEXT': {
        const s = this.#string();
        return (c) => {
          const { raw, root } = c.content();
          return contains(raw.toString('latin1', upper === 'BODY' ? root.bodyStart : 0), s);
        };
      }
      case 'SINCE':
      case 'BEFORE':
      case 'ON':
      case 'SENTSINCE':
      case 'SENTBEFORE':
      case 'SENTON': {
        const day = parseSearchDate(this.#string());
        const sent = upper.startsWith('SENT');
        const cmp = upper.replace('SENT', '');
        return (c) => {
          const d = sent ? sentDay(c) : dayOf(c.message.internalDate.getTime());
          if (d === undefined) return false;
          return cmp === 'SINCE' ? d >= day : cmp === 'BEFORE' ? d < day : d === day;
        };
      }
      case 'LARGER':
      case 'SMALLER': {
        const n = Number(this.#string());
        if (!Number.isInteger(n) || n < 0) throw new ParseError('SEARCH size must be a number');
        return (c) => (upper === 'LARGER' ? c.message.size > n : c.message.size < n);
      }
    }
    if (/^[\d:*,]+$/.test(word)) {
      const set = parseSequenceSet(word);
      return (c) => inSet(set, c.seq, c.maxSeq);
    }
    throw new ParseError(`unknown SEARCH key ${word}`);
  }
}

export function search(s: Session, args: Token[], uid: boolean): string {
  const sel = s.selected;
  if (!sel) throw new ParseError('no folder selected');
  let tokens = args;
  if (asAtom(tokens[0])?.toUpperCase() === 'CHARSET') {
    const charset = asString(tokens[1])?.toUpperCase();
    if (charset !== 'US-ASCII' && charset !== 'UTF-8')
      return 'NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset';
    tokens = tokens.slice(2);
  }
  const predicate = new Parser(tokens).all();
  const mailbox = s.mailbox as string;
  const byUid = new Map(s.ctx.store.messages(mailbox, sel.folder).map((m) => [m.uid, m]));
  const maxUid = sel.uids[sel.uids.length - 1] ?? 0;
  const found: number[] = [];
  sel.uids.forEach((u, i) => {
    const message = byUid.get(u);
    if (!message) return;
    let cached: { raw: Buffer; root: MimePart } | undefined;
    const content = () => {
      if (!cached) {
        const raw = s.ctx.store.read(mailbox, sel.folder, u);
        cached = { raw, root: parseMime(raw) };
      }
      return cached;
    };
    if (predicate({ seq: i + 1, message, maxSeq: sel.uids.length, maxUid, content }))
      found.push(uid ? u : i + 1);
  });
  s.untagged(found.length > 0 ? `SEARCH ${found.join(' ')}` : 'SEARCH');
  return `OK ${uid ? 'UID SEARCH' : 'SEARCH'} completed`;
}
