import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../clock.ts';
import { writeFileDurable, writeFileDurableSync } from './_durable.ts';
import {
  type FolderEvent,
  type FolderStatus,
  type MailStore,
  MailStoreError,
  type StoredMessage,
} from './types.ts';

export interface FileMailStoreOptions {
  /** The mailbox addresses (compared in lower case); each gets INBOX, Sent and Trash. */
  readonly mailboxes: readonly string[];
  /** The largest message `append` accepts (default 25 MiB). */
  readonly maxMessageBytes?: number;
  readonly clock?: Clock;
}

interface FolderIndex {
  name: string;
  uidValidity: number;
  uidNext: number;
  messages: StoredMessage[];
}

interface Folder {
  readonly dir: string;
  readonly index: FolderIndex;
  /** Appends run one after the other so that UIDs reach the index (and sessions) in order. */
  queue: Promise<unknown>;
}

const DEFAULT_FOLDERS = ['INBOX', 'Sent', 'Trash'] as const;
const INDEX = 'index.json';

/** `INBOX` is case-insensitive (RFC 3501 §5.1); every other name is kept as given. */
function canonical(folder: string): string {
  return folder.toUpperCase() === 'INBOX' ? 'INBOX' : folder;
}

function encodeName(name: string): string {
  return encodeURIComponent(name).replace(/\./g, '%2E');
}

/**
 * A MailStore on the file system: one directory per mailbox and folder, each message in its own
 * file (written durably: temp file, fsync, rename), and an index JSON per folder (flags, dates,
 * sizes, uidValidity, uidNext) rewritten atomically on every change. Only the indexes live in
 * memory; message bytes are read from disk when asked for.
 */
export class FileMailStore implements MailStore {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #clock: Clock;
  readonly #mailboxes = new Map<string, Map<string, Folder>>();
  readonly #watchers = new Map<string, Set<(event: FolderEvent) => void>>();
  #lastValidity = 0;

  constructor(dir: string, options: FileMailStoreOptions) {
    this.#dir = dir;
    this.#maxBytes = options.maxMessageBytes ?? 25 * 1024 * 1024;
    this.#clock = options.clock ?? systemClock;
    for (const address of options.mailboxes) {
      const mailbox = address.toLowerCase();
      const mdir = join(dir, encodeName(mailbox));
      mkdirSync(mdir, { recursive: true, mode: 0o700 });
      const folders = new Map<string, Folder>();
      this.#mailboxes.set(mailbox, folders);
      for (const entry of readdirSync(mdir, { withFileTypes: true })) {
        const indexPath = join(mdir, entry.name, INDEX);
        if (!entry.isDirectory() || !existsSync(indexPath)) continue;
        const index = JSON.parse(readFileSync(indexPath, 'utf8')) as FolderIndex;
        index.messages = index.messages.map((m) => ({ ...m, internalDate: new Date(m.internalDate) }));
        folders.set(index.name, { dir: join(mdir, entry.name), index, queue: Promise.resolve() });
      }
      for (const name of DEFAULT_FOLDERS) if (!folders.has(name)) this.#create(mailbox, folders, name);
    }
  }

  hasMailbox(address: string): boolean {
    return this.#mailboxes.has(address.toLowerCase());
  }

  folders(mailbox: string): readonly string[] {
    const names = [...this.#folders(mailbox).keys()].filter((n) => n !== 'INBOX').sort();
    return ['INBOX', ...names];
  }

  createFolder(mailbox: string, folder: string): void {
    const folders = this.#folders(mailbox);
    const name = canonical(folder);
    if (folders.has(name)) throw new MailStoreError('folder-exists', `folder ${name} already exists`);
    this.#create(mailbox.toLowerCase(), folders, name);
  }

  status(mailbox: string, folder: string): FolderStatus {
    const { index } = this.#folder(mailbox, folder);
    return {
      name: index.name,
      uidValidity: index.uidValidity,
      uidNext: index.uidNext,
      messages: index.messages.length,
      unseen: index.messages.filter((m) => !m.flags.includes('\\Seen')).length,
    };
  }

  messages(mailbox: string, folder: string): readonly StoredMessage[] {
    return this.#folder(mailbox, folder).index.messages.slice();
  }

  read(mailbox: string, folder: string, uid: number): Buffer {
    const f = this.#folder(mailbox, folder);
    if (!f.index.messages.some((m) => m.uid === uid))
      throw new MailStoreError('no-such-message', `no message with UID ${uid} in ${f.index.name}`);
    return readFileSync(join(f.dir, `${uid}.eml`));
  }

  append(
    mailbox: string,
    folder: string,
    raw: Buffer,
    options?: { readonly flags?: readonly string[]; readonly internalDate?: Date },
  ): Promise<number> {
    let f: Folder;
    try {
      f = this.#folder(mailbox, folder);
      if (raw.length > this.#maxBytes)
        throw new MailStoreError(
          'too-large',
          `message of ${raw.length} bytes over the ${this.#maxBytes} limit`,
        );
    } catch (e) {
      return Promise.reject(e);
    }
    const run = async (): Promise<number> => {
      const uid = f.index.uidNext;
      await writeFileDurable(join(f.dir, `${uid}.eml`), raw);
      const message: StoredMessage = {
        uid,
        flags: [...new Set(options?.flags ?? [])].filter((x) => x !== '\\Recent'),
        internalDate: options?.internalDate ?? new Date(this.#clock.now()),
        size: raw.length,
      };
      f.index.uidNext = uid + 1;
      f.index.messages.push(message);
      this.#save(f);
      this.#emit(mailbox, f.index.name, { kind: 'exists', uid });
      return uid;
    };
    const result = f.queue.then(run, run);
    f.queue = result.catch(() => undefined);
    return result;
  }

  setFlags(mailbox: string, folder: string, uid: number, flags: readonly string[]): void {
    const f = this.#folder(mailbox, folder);
    const at = f.index.messages.findIndex((m) => m.uid === uid);
    const current = f.index.messages[at];
    if (!current)
      throw new MailStoreError('no-such-message', `no message with UID ${uid} in ${f.index.name}`);
    const unique = [...new Set(flags)].filter((x) => x !== '\\Recent');
    f.index.messages[at] = { ...current, flags: unique };
    this.#save(f);
    this.#emit(mailbox, f.index.name, { kind: 'flags', uid, flags: unique });
  }

  remove(mailbox: string, folder: string, uids: readonly number[]): void {
    const f = this.#folder(mailbox, folder);
    const gone = new Set(uids);
    const removed = f.index.messages.filter((m) => gone.has(m.uid)).map((m) => m.uid);
    if (removed.length === 0) return;
    f.index.messages = f.index.messages.filter((m) => !gone.has(m.uid));
    this.#save(f);
    for (const uid of removed) rmSync(join(f.dir, `${uid}.eml`), { force: true });
    for (const uid of removed) this.#emit(mailbox, f.index.name, { kind: 'expunge', uid });
  }

  watch(mailbox: string, folder: string, listener: (event: FolderEvent) => void): () => void {
    const key = this.#key(mailbox, this.#folder(mailbox, folder).index.name);
    let set = this.#watchers.get(key);
    if (!set) {
      set = new Set();
      this.#watchers.set(key, set);
    }
    const listeners = set;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#watchers.delete(key);
    };
  }

  #key(mailbox: string, folder: string): string {
    return `${mailbox.toLowerCase()}\u0000${folder}`;
  }

  #emit(mailbox: string, folder: string, event: FolderEvent): void {
    const set = this.#watchers.get(this.#key(mailbox, folder));
    if (!set) return;
    for (const listener of [...set]) listener(event);
  }

  #folders(mailbox: string): Map<string, Folder> {
    const folders = this.#mailboxes.get(mailbox.toLowerCase());
    if (!folders) throw new MailStoreError('no-such-folder', `no mailbox ${mailbox}`);
    return folders;
  }

  #folder(mailbox: string, folder: string): Folder {
    const name = canonical(folder);
    const f = this.#folders(mailbox).get(name);
    if (!f) throw new MailStoreError('no-such-folder', `no folder ${name}`);
    return f;
  }

  #create(mailbox: string, folders: Map<string, Folder>, name: string): void {
    const dir = join(this.#dir, encodeName(mailbox), encodeName(name));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // distinct per folder even when created within the same second
    const validity = Math.max(Math.floor(this.#clock.now() / 1000), this.#lastValidity + 1);
    this.#lastValidity = validity;
    const folder: Folder = {
      dir,
      index: { name, uidValidity: validity, uidNext: 1, messages: [] },
      queue: Promise.resolve(),
    };
    this.#save(folder);
    folders.set(name, folder);
  }

  #save(f: Folder): void {
    writeFileDurableSync(join(f.dir, INDEX), JSON.stringify(f.index));
  }
}
