import { authenticate, capabilities, starttls } from './_auth.ts';
import { fetch, resolve, store } from './_fetch.ts';
import { append, close, copy, create, expunge, list, select, status } from './_folders.ts';
import { search } from './_search.ts';
import type { Session, State } from './_session.ts';
import { asAtom, ParseError, type Segment, type Token, tokenize } from './_tokens.ts';
import { MailStoreError } from './types.ts';

type Handler = (s: Session, args: Token[], tag: string) => Promise<string | undefined> | string | undefined;

const ANY: readonly State[] = ['not-authenticated', 'authenticated', 'selected'];
const AUTH: readonly State[] = ['authenticated', 'selected'];
const SELECTED: readonly State[] = ['selected'];
const PRE: readonly State[] = ['not-authenticated'];

async function idle(s: Session): Promise<string> {
  s.write('+ idling\r\n');
  s.idling = true;
  s.flush(true);
  const line = await s.reader.nextLine();
  s.idling = false;
  return line.trim().toUpperCase() === 'DONE' ? 'OK IDLE terminated' : 'BAD Expected DONE';
}

function uidCommand(s: Session, args: Token[]): Promise<string> | string {
  const sub = asAtom(args[0])?.toUpperCase();
  const rest = args.slice(1);
  switch (sub) {
    case 'FETCH':
      return fetch(s, rest, true);
    case 'STORE':
      return store(s, rest, true);
    case 'SEARCH':
      return search(s, rest, true);
    case 'COPY':
    case 'MOVE':
      return copy(
        s,
        resolve(s, asAtom(rest[0]), true).map((t) => t.uid),
        rest[1],
        sub === 'MOVE',
      );
    case 'EXPUNGE':
      return expunge(s, rest, true);
  }
  throw new ParseError('unknown UID command');
}

const COMMANDS: Record<string, [readonly State[], Handler]> = {
  CAPABILITY: [
    ANY,
    (s) => {
      s.untagged(`CAPABILITY ${capabilities(s)}`);
      return 'OK CAPABILITY completed';
    },
  ],
  NOOP: [ANY, () => 'OK NOOP completed'],
  LOGOUT: [
    ANY,
    (s, _a, tag) => {
      s.untagged('BYE Logging out');
      s.write(`${tag} OK LOGOUT completed\r\n`);
      s.close();
      return undefined;
    },
  ],
  STARTTLS: [PRE, (s, _a, tag) => starttls(s, tag)],
  AUTHENTICATE: [PRE, (s, args) => authenticate(s, args)],
  LOGIN: [
    PRE,
    (s) => {
      s.refuse('login-disabled', {});
      return s.secure
        ? 'NO [CANNOT] LOGIN is disabled; use AUTHENTICATE XOAUTH2 or EXTERNAL'
        : 'NO [PRIVACYREQUIRED] LOGIN is disabled; use STARTTLS then AUTHENTICATE';
    },
  ],
  SELECT: [AUTH, (s, args) => select(s, args, false)],
  EXAMINE: [AUTH, (s, args) => select(s, args, true)],
  CREATE: [AUTH, (s, args) => create(s, args)],
  DELETE: [AUTH, () => 'NO [CANNOT] Deleting folders is not supported here'],
  RENAME: [AUTH, () => 'NO [CANNOT] Renaming folders is not supported here'],
  SUBSCRIBE: [AUTH, () => 'OK SUBSCRIBE completed'],
  UNSUBSCRIBE: [AUTH, () => 'OK UNSUBSCRIBE completed'],
  LIST: [AUTH, (s, args) => list(s, args, 'LIST')],
  LSUB: [AUTH, (s, args) => list(s, args, 'LSUB')],
  STATUS: [AUTH, (s, args) => status(s, args)],
  APPEND: [AUTH, (s, args) => append(s, args)],
  IDLE: [AUTH, (s) => idle(s)],
  CHECK: [SELECTED, () => 'OK CHECK completed'],
  CLOSE: [SELECTED, (s) => close(s)],
  UNSELECT: [
    SELECTED,
    (s) => {
      s.unselect();
      return 'OK UNSELECT completed';
    },
  ],
  EXPUNGE: [SELECTED, (s, args) => expunge(s, args, false)],
  SEARCH: [SELECTED, (s, args) => search(s, args, false)],
  FETCH: [SELECTED, (s, args) => fetch(s, args, false)],
  STORE: [SELECTED, (s, args) => store(s, args, false)],
  COPY: [
    SELECTED,
    (s, args) =>
      copy(
        s,
        resolve(s, asAtom(args[0]), false).map((t) => t.uid),
        args[1],
        false,
      ),
  ],
  MOVE: [
    SELECTED,
    (s, args) =>
      copy(
        s,
        resolve(s, asAtom(args[0]), false).map((t) => t.uid),
        args[1],
        true,
      ),
  ],
  UID: [SELECTED, (s, args) => uidCommand(s, args)],
};

const NO_EXPUNGE = new Set(['FETCH', 'STORE', 'SEARCH']);

function storeFailure(e: MailStoreError): string {
  switch (e.reason) {
    case 'no-such-folder':
      return 'NO [NONEXISTENT] No such folder';
    case 'folder-exists':
      return 'NO [ALREADYEXISTS] Folder already exists';
    case 'too-large':
      return 'NO [TOOBIG] Message too large';
    case 'quota':
      return 'NO [OVERQUOTA] Quota exceeded';
    case 'no-such-message':
      return 'NO No such message';
  }
}

/** Runs one command and writes its tagged response. */
export async function runCommand(s: Session, segments: Segment[]): Promise<void> {
  const firstLine = segments[0]?.text ?? '';
  let tag = /^[^\s(){%*"\\\]+]+/.exec(firstLine)?.[0] ?? '*';
  let result: string | undefined;
  let name = '';
  s.ctx.stats['commands'] = (s.ctx.stats['commands'] ?? 0) + 1;
  try {
    const tokens = tokenize(segments);
    const tagToken = asAtom(tokens[0]);
    if (!tagToken || tagToken === '*' || /[+(){%"\\\]]/.test(tagToken)) throw new ParseError('invalid tag');
    tag = tagToken;
    name = asAtom(tokens[1])?.toUpperCase() ?? '';
    const command = COMMANDS[name];
    if (!command) throw new ParseError(name ? `unknown command ${name}` : 'missing command');
    if (!command[0].includes(s.state))
      throw new ParseError(
        s.state === 'not-authenticated' ? `${name} needs authentication first` : `${name} not allowed now`,
      );
    result = await command[1](s, tokens.slice(2), tag);
  } catch (e) {
    if (e instanceof ParseError) result = `BAD ${e.message}`;
    else if (e instanceof MailStoreError) result = storeFailure(e);
    else {
      s.ctx.log.error({ session: s.id, command: name, error: (e as Error).message }, 'imap: command failed');
      result = 'NO [SERVERBUG] Internal error';
    }
  }
  if (result === undefined || s.closed) return;
  const sub = name === 'UID' ? '' : name;
  s.flush(!NO_EXPUNGE.has(sub));
  s.write(`${tag} ${result}\r\n`);
  if (result.startsWith('BAD')) s.bad();
  else s.good();
}
