import { parseDateTime } from './_dates.ts';
import { formatSet, parseSequenceSet } from './_sequence.ts';
import type { Session } from './_session.ts';
import { mailboxName } from './_structure.ts';
import { asAtom, asString, ParseError, type Token } from './_tokens.ts';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

function name(token: Token | undefined): string {
  const value = asString(token);
  if (value === undefined) throw new ParseError('expected a mailbox name');
  return value.toUpperCase() === 'INBOX' ? 'INBOX' : value;
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/%/g, '[^/]*');
  return new RegExp(`^${body}$`, 'i');
}

export function list(s: Session, args: Token[], command: string): string {
  const reference = asString(args[0]);
  const pattern = asString(args[1]);
  if (reference === undefined || pattern === undefined)
    throw new ParseError('LIST needs a reference and a pattern');
  if (pattern === '') {
    s.untagged(`${command} (\\Noselect) "/" ""`);
    return `OK ${command} completed`;
  }
  const re = wildcard(reference + pattern);
  const special: Record<string, string> = { Sent: ' \\Sent', Trash: ' \\Trash' };
  for (const folder of s.ctx.store.folders(s.mailbox as string)) {
    if (!re.test(folder)) continue;
    s.untagged(`${command} (\\HasNoChildren${special[folder] ?? ''}) "/" ${mailboxName(folder)}`);
  }
  return `OK ${command} completed`;
}

export function create(s: Session, args: Token[]): string {
  const folder = name(args[0]).replace(/\/$/, '');
  if (!folder || folder.length > 200 || [...folder].some((c) => c < ' ' || c === '*' || c === '%'))
    return 'NO [CANNOT] Invalid folder name';
  s.ctx.store.createFolder(s.mailbox as string, folder);
  return 'OK CREATE completed';
}

export function select(s: Session, args: Token[], readOnly: boolean): string {
  const folder = name(args[0]);
  s.unselect();
  const status = s.ctx.store.status(s.mailbox as string, folder);
  const messages = s.ctx.store.messages(s.mailbox as string, folder);
  s.select(folder, readOnly);
  const firstUnseen = messages.findIndex((m) => !m.flags.includes('\\Seen'));
  s.untagged(`FLAGS (${SYSTEM_FLAGS.join(' ')})`);
  s.untagged(`OK [PERMANENTFLAGS (${readOnly ? '' : `${SYSTEM_FLAGS.join(' ')} \\*`})] Flags permitted`);
  s.untagged(`${messages.length} EXISTS`);
  s.untagged('0 RECENT');
  if (firstUnseen >= 0) s.untagged(`OK [UNSEEN ${firstUnseen + 1}] First unseen`);
  s.untagged(`OK [UIDVALIDITY ${status.uidValidity}] UIDs valid`);
  s.untagged(`OK [UIDNEXT ${status.uidNext}] Predicted next UID`);
  return `OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${readOnly ? 'EXAMINE' : 'SELECT'} completed`;
}

export function status(s: Session, args: Token[]): string {
  const folder = name(args[0]);
  const items = args[1]?.kind === 'list' ? args[1].items.map((t) => asAtom(t)?.toUpperCase()) : undefined;
  if (!items || items.length === 0) throw new ParseError('STATUS needs a list of items');
  const st = s.ctx.store.status(s.mailbox as string, folder);
  const values: Record<string, number> = {
    MESSAGES: st.messages,
    RECENT: 0,
    UIDNEXT: st.uidNext,
    UIDVALIDITY: st.uidValidity,
    UNSEEN: st.unseen,
  };
  const out = items.map((item) => {
    if (!item || values[item] === undefined) throw new ParseError(`unknown STATUS item ${item}`);
    return `${item} ${values[item]}`;
  });
  s.untagged(`STATUS ${mailboxName(st.name)} (${out.join(' ')})`);
  return 'OK STATUS completed';
}

export async function append(s: Session, args: Token[]): Promise<string> {
  const folder = name(args[0]);
  let i = 1;
  let flags: string[] = [];
  let internalDate: Date | undefined;
  const flagList = args[i];
  if (flagList?.kind === 'list') {
    flags = flagList.items.map((t) => asAtom(t) ?? '').filter((f) => f !== '');
    i++;
  }
  const maybeDate = args[i];
  if (maybeDate?.kind === 'string') {
    internalDate = parseDateTime(maybeDate.value);
    i++;
  }
  const literal = args[i];
  if (literal?.kind !== 'literal' || args.length !== i + 1)
    throw new ParseError('APPEND needs a message literal');
  const mailbox = s.mailbox as string;
  if (!s.ctx.store.folders(mailbox).includes(folder)) return 'NO [TRYCREATE] No such folder';
  const status = s.ctx.store.status(mailbox, folder);
  const uid = await s.ctx.store.append(mailbox, folder, literal.value, {
    flags,
    internalDate: internalDate ?? new Date(s.ctx.clock.now()),
  });
  return `OK [APPENDUID ${status.uidValidity} ${uid}] APPEND completed`;
}

/** UIDs of the selected folder flagged \Deleted (within `only` when given). */
function deleted(s: Session, only?: Set<number>): number[] {
  const sel = s.selected;
  if (!sel) return [];
  return s.ctx.store
    .messages(s.mailbox as string, sel.folder)
    .filter((m) => m.flags.includes('\\Deleted') && (!only || only.has(m.uid)))
    .map((m) => m.uid);
}

export function expunge(s: Session, args: Token[], uid: boolean): string {
  const sel = s.selected;
  if (!sel) throw new ParseError('no folder selected');
  if (sel.readOnly) return 'NO [READ-ONLY] Folder is read-only';
  let only: Set<number> | undefined;
  if (uid) {
    const set = parseSequenceSet(asAtom(args[0]));
    const max = sel.uids[sel.uids.length - 1] ?? 0;
    only = new Set(sel.uids.filter((u) => set.some(([a, b]) => u >= a && u <= (b === Infinity ? max : b))));
  }
  s.ctx.store.remove(s.mailbox as string, sel.folder, deleted(s, only));
  s.flush(true);
  return 'OK EXPUNGE completed';
}

export function close(s: Session): string {
  const sel = s.selected;
  if (sel && !sel.readOnly) s.ctx.store.remove(s.mailbox as string, sel.folder, deleted(s));
  s.unselect();
  return 'OK CLOSE completed';
}

/** COPY and MOVE of the given UIDs (ascending) to another folder, with COPYUID. */
export async function copy(
  s: Session,
  uids: number[],
  target: Token | undefined,
  move: boolean,
): Promise<string> {
  const sel = s.selected;
  if (!sel) throw new ParseError('no folder selected');
  const folder = name(target);
  const mailbox = s.mailbox as string;
  if (!s.ctx.store.folders(mailbox).includes(folder)) return 'NO [TRYCREATE] No such folder';
  if (move && sel.readOnly) return 'NO [READ-ONLY] Folder is read-only';
  const command = move ? 'MOVE' : 'COPY';
  if (uids.length === 0) return `OK ${command} completed (no messages)`;
  const byUid = new Map(s.ctx.store.messages(mailbox, sel.folder).map((m) => [m.uid, m]));
  const validity = s.ctx.store.status(mailbox, folder).uidValidity;
  const from: number[] = [];
  const to: number[] = [];
  for (const uid of uids) {
    const m = byUid.get(uid);
    if (!m) continue;
    const raw = s.ctx.store.read(mailbox, sel.folder, uid);
    to.push(await s.ctx.store.append(mailbox, folder, raw, { flags: m.flags, internalDate: m.internalDate }));
    from.push(uid);
  }
  const code = from.length > 0 ? `[COPYUID ${validity} ${formatSet(from)} ${formatSet(to)}] ` : '';
  if (!move) return `OK ${code}COPY completed`;
  if (code) s.untagged(`OK ${code}Moved`);
  s.ctx.store.remove(mailbox, sel.folder, from);
  s.flush(true);
  return 'OK MOVE completed';
}
