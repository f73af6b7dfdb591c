import type { Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../log.ts';
import { CommandReader } from './_reader.ts';
import type { Segment } from './_tokens.ts';
import type { FolderEvent, MailAuthenticator, MailStore } from './types.ts';

/** What every session of one server shares. */
export interface ServerContext {
  readonly store: MailStore;
  readonly auth: MailAuthenticator;
  readonly log: Logger;
  readonly clock: Clock;
  readonly mode: 'implicit' | 'starttls';
  readonly secureContext: SecureContext;
  readonly maxMessageBytes: number;
  readonly maxLineBytes: number;
  readonly idleTimeoutMs: number;
  readonly preAuthTimeoutMs: number;
  readonly stats: Record<string, number>;
}

export interface Selected {
  readonly folder: string;
  readonly readOnly: boolean;
  /** The session's view: the UID of sequence number n is uids[n - 1]. */
  readonly uids: number[];
  readonly pending: FolderEvent[];
  readonly unwatch: () => void;
}

export type State = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

const MAX_BAD = 10;
let nextId = 1;

/** One IMAP connection: its socket (replaced on STARTTLS), state, selected folder and timers. */
export class Session {
  readonly id = nextId++;
  socket: Socket;
  secure: boolean;
  state: State = 'not-authenticated';
  mailbox: string | undefined;
  selected: Selected | undefined;
  /** Set while IDLE runs: folder events are written at once. */
  idling = false;
  /** Set while this session changes flags itself (its own FETCH answers them). */
  ownFlags = false;
  readonly reader: CommandReader;
  #bad = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    socket: Socket,
    readonly ctx: ServerContext,
    run: (session: Session, segments: Segment[]) => Promise<void>,
  ) {
    this.socket = socket;
    this.secure = ctx.mode === 'implicit';
    this.reader = new CommandReader(socket, ctx.maxLineBytes, {
      command: (segments) => run(this, segments),
      literalCap: (first) =>
        /^\S+ APPEND /i.test(first) ? ctx.maxMessageBytes : Math.max(ctx.maxLineBytes, 8192),
      literalTooBig: (tag, size) => {
        this.refuse('literal-too-big', { size });
        this.write(`${tag} NO [TOOBIG] Literal of ${size} bytes is over the limit\r\n`);
      },
      literalTooBigNonSync: (size) => {
        this.refuse('literal-too-big', { size, sync: false });
        this.bye('Literal too big');
      },
      lineTooLong: () => {
        this.refuse('line-too-long', {});
        this.bye('line too long');
      },
      activity: () => {
        if (this.state !== 'not-authenticated') this.#timer?.refresh();
      },
    });
    this.#timer = setTimeout(() => this.#timeout(), ctx.preAuthTimeoutMs);
    socket.on('close', () => this.#onClose());
    socket.on('error', (e: Error & { code?: string }) => {
      ctx.log.debug({ session: this.id, code: e.code ?? e.message }, 'imap: socket error');
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(data: string | Buffer): void {
    if (this.#closed || this.socket.destroyed) return;
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  untagged(text: string): void {
    this.write(`* ${text}\r\n`);
  }

  /** Resolves once the socket can take more (big FETCH answers). */
  drain(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Counts a BAD response; the tenth in a row ends the session. */
  bad(): boolean {
    this.#bad++;
    if (this.#bad < MAX_BAD) return false;
    this.refuse('too-many-bad-commands', {});
    this.bye('Too many invalid commands');
    return true;
  }

  good(): void {
    this.#bad = 0;
  }

  refuse(reason: string, fields: Record<string, unknown>): void {
    this.ctx.stats['refusals'] = (this.ctx.stats['refusals'] ?? 0) + 1;
    this.ctx.log.warn({ session: this.id, reason, ...fields }, 'imap: refused');
  }

  bye(text: string): void {
    if (this.#closed) return;
    this.untagged(`BYE ${text}`);
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.reader.stop();
    this.socket.end();
    const socket = this.socket;
    setTimeout(() => socket.destroy(), 2000).unref();
    this.#onClose();
  }

  authenticated(mailbox: string): void {
    this.state = 'authenticated';
    this.mailbox = mailbox;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#timeout(), this.ctx.idleTimeoutMs);
  }

  upgraded(socket: TLSSocket): void {
    this.socket = socket;
    this.secure = true;
    this.reader.upgrade(socket);
    socket.on('close', () => this.#onClose());
    socket.on('error', () => undefined);
  }

  select(folder: string, readOnly: boolean): Selected {
    this.unselect();
    const mailbox = this.mailbox as string;
    const pending: FolderEvent[] = [];
    const unwatch = this.ctx.store.watch(mailbox, folder, (event) => {
      if (event.kind === 'flags' && this.ownFlags) return;
      pending.push(event);
      if (this.idling) this.flush(true);
    });
    const uids = this.ctx.store.messages(mailbox, folder).map((m) => m.uid);
    this.selected = { folder, readOnly, uids, pending, unwatch };
    this.state = 'selected';
    return this.selected;
  }

  unselect(): void {
    this.selected?.unwatch();
    this.selected = undefined;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  /** Writes the folder changes seen since the last flush (EXPUNGE only where allowed). */
  flush(allowExpunge: boolean): void {
    const sel = this.selected;
    if (!sel || sel.pending.length === 0) return;
    let grew = false;
    const keep: FolderEvent[] = [];
    for (const event of sel.pending.splice(0)) {
      if (event.kind === 'exists') {
        if (!sel.uids.includes(event.uid)) {
          sel.uids.push(event.uid);
          grew = true;
        }
      } else if (event.kind === 'expunge') {
        const at = sel.uids.indexOf(event.uid);
        if (at < 0) continue;
        if (!allowExpunge) keep.push(event);
        else {
          sel.uids.splice(at, 1);
          this.untagged(`${at + 1} EXPUNGE`);
        }
      } else {
        const at = sel.uids.indexOf(event.uid);
        if (at >= 0) this.untagged(`${at + 1} FETCH (UID ${event.uid} FLAGS (${event.flags.join(' ')}))`);
      }
    }
    sel.pending.push(...keep);
    if (grew) this.untagged(`${sel.uids.length} EXISTS`);
  }

  #timeout(): void {
    const authenticated = this.state !== 'not-authenticated';
    this.ctx.stats['timeouts'] = (this.ctx.stats['timeouts'] ?? 0) + 1;
    this.ctx.log.info({ session: this.id, authenticated }, 'imap: session timed out');
    this.bye(authenticated ? 'Autologout; idle for too long' : 'Disconnected for inactivity');
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.reader.stop();
    this.selected?.unwatch();
    this.selected = undefined;
    this.state = 'logout';
    this.ctx.stats['connections'] = (this.ctx.stats['connections'] ?? 1) - 1;
  }
}
