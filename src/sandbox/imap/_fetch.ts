import { formatDateTime } from './_dates.ts';
import { type MimePart, parseMime } from './_mime.ts';
import { sectionBytes } from './_sections.ts';
import { inSet, parseSequenceSet } from './_sequence.ts';
import type { Session } from './_session.ts';
import { bodyStructure, envelope } from './_structure.ts';
import { asAtom, ParseError, type Token } from './_tokens.ts';
import type { StoredMessage } from './types.ts';

/** The messages a sequence set (or UID set) names, with their sequence numbers. */
export function resolve(
  s: Session,
  setText: string | undefined,
  uid: boolean,
): { seq: number; uid: number }[] {
  const sel = s.selected;
  if (!sel) throw new ParseError('no folder selected');
  const set = parseSequenceSet(setText);
  const maxUid = sel.uids[sel.uids.length - 1] ?? 0;
  const out: { seq: number; uid: number }[] = [];
  sel.uids.forEach((u, i) => {
    if (uid ? inSet(set, u, maxUid) : inSet(set, i + 1, sel.uids.length)) out.push({ seq: i + 1, uid: u });
  });
  return out;
}

const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};
const SIMPLE = new Set(['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY']);
const BODY_ITEM = /^(BODY(?:\.PEEK)?|BINARY(?:\.PEEK)?)\[([^\]]*)\](?:<(\d{1,10})(?:\.(\d{1,10}))?>)?$/i;

interface Item {
  readonly name: string;
  readonly section?: string;
  readonly peek?: boolean;
  readonly partial?: readonly [number, number | undefined];
}

function parseItems(token: Token | undefined, uid: boolean): Item[] {
  const atoms = token?.kind === 'list' ? token.items.map(asAtom) : [asAtom(token)];
  const items: Item[] = [];
  for (const atom of atoms) {
    if (!atom) throw new ParseError('invalid FETCH item');
    const upper = atom.toUpperCase();
    if (MACROS[upper] && token?.kind !== 'list') for (const n of MACROS[upper]) items.push({ name: n });
    else if (SIMPLE.has(upper)) items.push({ name: upper });
    else if (upper === 'RFC822') items.push({ name: 'RFC822', section: '', peek: false });
    else if (upper === 'RFC822.HEADER') items.push({ name: 'RFC822.HEADER', section: 'HEADER', peek: true });
    else if (upper === 'RFC822.TEXT') items.push({ name: 'RFC822.TEXT', section: 'TEXT', peek: false });
    else {
      const m = BODY_ITEM.exec(atom);
      if (!m || m[1]?.toUpperCase().startsWith('BINARY')) throw new ParseError(`unknown FETCH item ${atom}`);
      const partial =
        m[3] !== undefined
          ? ([Number(m[3]), m[4] !== undefined ? Number(m[4]) : undefined] as const)
          : undefined;
      items.push({
        name: 'BODY',
        section: m[2] ?? '',
        peek: m[1]?.toUpperCase() === 'BODY.PEEK',
        ...(partial ? { partial } : {}),
      });
    }
  }
  if (uid && !items.some((i) => i.name === 'UID')) items.unshift({ name: 'UID' });
  return items;
}

function literal(bytes: Buffer): Buffer[] {
  return [Buffer.from(`{${bytes.length}}\r\n`, 'latin1'), bytes];
}

export async function fetch(s: Session, args: Token[], uid: boolean): Promise<string> {
  const sel = s.selected;
  if (!sel) throw new ParseError('no folder selected');
  const targets = resolve(s, asAtom(args[0]), uid);
  const items = parseItems(args[1], uid);
  const mailbox = s.mailbox as string;
  const needsRaw = items.some(
    (i) => i.section !== undefined || i.name === 'ENVELOPE' || i.name.startsWith('BODY'),
  );
  const setsSeen = !sel.readOnly && items.some((i) => i.section !== undefined && !i.peek);
  const byUid = new Map(s.ctx.store.messages(mailbox, sel.folder).map((m) => [m.uid, m]));
  for (const { seq, uid: u } of targets) {
    let message = byUid.get(u);
    if (!message) continue; // expunged by another session, not yet told
    let raw: Buffer | undefined;
    let root: MimePart | undefined;
    if (needsRaw) {
      raw = s.ctx.store.read(mailbox, sel.folder, u);
      root = parseMime(raw);
    }
    let flagsChanged = false;
    if (setsSeen && !message.flags.includes('\\Seen')) {
      const flags = [...message.flags, '\\Seen'];
      s.ownFlags = true;
      try {
        s.ctx.store.setFlags(mailbox, sel.folder, u, flags);
      } finally {
        s.ownFlags = false;
      }
      message = { ...message, flags };
      flagsChanged = true;
    }
    const parts: (string | Buffer)[] = [`* ${seq} FETCH (`];
    let first = true;
    const all =
      flagsChanged && !items.some((i) => i.name === 'FLAGS') ? [...items, { name: 'FLAGS' }] : items;
    for (const item of all) {
      if (!first) parts.push(' ');
      first = false;
      parts.push(...renderItem(item, message, raw, root));
    }
    parts.push(')\r\n');
    for (const p of parts) s.write(p);
    await s.drain();
    if (s.closed) return 'NO Connection closed';
  }
  return `OK ${uid ? 'UID FETCH' : 'FETCH'} completed`;
}

function renderItem(
  item: Item,
  m: StoredMessage,
  raw: Buffer | undefined,
  root: MimePart | undefined,
): (string | Buffer)[] {
  switch (item.name) {
    case 'UID':
      return [`UID ${m.uid}`];
    case 'FLAGS':
      return [`FLAGS (${m.flags.join(' ')})`];
    case 'INTERNALDATE':
      return [`INTERNALDATE ${formatDateTime(m.internalDate)}`];
    case 'RFC822.SIZE':
      return [`RFC822.SIZE ${m.size}`];
  }
  if (!raw || !root) return [];
  if (item.name === 'ENVELOPE') return [`ENVELOPE ${envelope(root)}`];
  if (item.name === 'BODYSTRUCTURE') return [`BODYSTRUCTURE ${bodyStructure(raw, root, true)}`];
  if (item.section === undefined) return [`BODY ${bodyStructure(raw, root, false)}`];
  let bytes = sectionBytes(raw, root, item.section);
  let label = item.name === 'BODY' ? `BODY[${item.section}]` : item.name;
  if (item.partial) {
    const [origin, length] = item.partial;
    bytes = bytes.subarray(origin, length === undefined ? undefined : origin + length);
    label += `<${origin}>`;
  }
  return [`${label} `, ...literal(bytes)];
}

export function store(s: Session, args: Token[], uid: boolean): string {
  const sel = s.selected;
  if (!sel) throw new ParseError('no folder selected');
  const targets = resolve(s, asAtom(args[0]), uid);
  const op = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(asAtom(args[1]) ?? '');
  if (!op) throw new ParseError('STORE needs FLAGS, +FLAGS or -FLAGS');
  const rest = args.slice(2);
  const list = rest.length === 1 && rest[0]?.kind === 'list' ? rest[0].items : rest;
  const given = list.map((t) => asAtom(t));
  if (given.some((f) => !f || !/^\\?[^\s()\]{%*"\\]+$/.test(f))) throw new ParseError('invalid flag');
  const flags = (given as string[]).map((f) => normalizeFlag(f));
  if (sel.readOnly) return 'NO [READ-ONLY] Folder is read-only';
  const mailbox = s.mailbox as string;
  const byUid = new Map(s.ctx.store.messages(mailbox, sel.folder).map((m) => [m.uid, m]));
  for (const { seq, uid: u } of targets) {
    const m = byUid.get(u);
    if (!m) continue;
    let next: string[];
    if (op[1] === '+') next = [...new Set([...m.flags, ...flags])];
    else if (op[1] === '-') next = m.flags.filter((f) => !flags.includes(f));
    else next = [...new Set(flags)];
    s.ownFlags = true;
    try {
      s.ctx.store.setFlags(mailbox, sel.folder, u, next);
    } finally {
      s.ownFlags = false;
    }
    if (!op[2]) s.untagged(`${seq} FETCH (FLAGS (${next.join(' ')})${uid ? ` UID ${u}` : ''})`);
  }
  return `OK ${uid ? 'UID STORE' : 'STORE'} completed`;
}

/** System flags in their canonical case; keywords as given. */
function normalizeFlag(flag: string): string {
  if (!flag.startsWith('\\')) return flag;
  const known = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
  return known.find((k) => k.toLowerCase() === flag.toLowerCase()) ?? flag;
}
