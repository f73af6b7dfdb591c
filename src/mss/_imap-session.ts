import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FetchMessageObject, ImapFlow, MessageAddressObject } from 'imapflow';
import { PasserelleError } from '../errors.ts';
import { imapError } from './_errors.ts';
import { attachmentParts, mssHeadersOf, numbered, safeFileName } from './_imap-parts.ts';
import type { MssImap } from './imap.ts';
import type {
  MssFetchResult,
  MssFolder,
  MssListOptions,
  MssMessageSummary,
  MssSavedAttachment,
} from './types.ts';

/** Bytes asked for per FETCH when a message or part is downloaded. */
const DOWNLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

const MSS_HEADER_NAMES = ['x-mss-nil', 'x-mss-codecda', 'x-mss-ins', 'x-mss-mes'];

function addresses(list: MessageAddressObject[] | undefined): string[] {
  return (list ?? []).map((a) => a.address ?? a.name ?? '').filter((a) => a !== '');
}

function checkUid(uid: number): void {
  if (!Number.isSafeInteger(uid) || uid < 1 || uid > 0xffffffff)
    throw new PasserelleError('ERR_MSS_MESSAGE_NOT_FOUND', `${uid} is not a message UID`, {
      details: { uid },
    });
}

/** Creates `dir/name` exclusively, numbering the name until it does not exist yet. */
/** Writes bytes already fetched to a new file (never overwriting). */
async function writeWhole(dir: string, name: string, bytes: Buffer): Promise<{ path: string; size: number }> {
  const { path, handle } = await createUnique(dir, name);
  try {
    await handle.writeFile(bytes);
  } catch (e) {
    await unlink(path).catch(() => {});
    throw e;
  } finally {
    await handle.close();
  }
  return { path, size: bytes.length };
}

async function createUnique(dir: string, name: string): Promise<{ path: string; handle: FileHandle }> {
  for (let n = 0; n < 1000; n++) {
    const path = join(dir, numbered(name, n));
    try {
      return { path, handle: await open(path, 'wx', 0o600) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new PasserelleError('ERR_FILE_UNWRITABLE', `Too many files named like ${name} in ${dir}`);
}

/** The MssImap of an authenticated imapflow connection. */
export class ImapSession implements MssImap {
  readonly #flow: ImapFlow;

  constructor(flow: ImapFlow) {
    this.#flow = flow;
  }

  /** Runs `fn` with `folder` selected (the mailbox lock held); SELECT refused → ERR_MSS_FOLDER_NOT_FOUND. */
  async #inFolder<T>(folder: string, fn: () => Promise<T>): Promise<T> {
    let lock: { release(): void };
    try {
      lock = await this.#flow.getMailboxLock(folder);
    } catch (err) {
      const e = err as { responseStatus?: string; responseText?: string };
      if (e.responseStatus === 'NO')
        throw new PasserelleError(
          'ERR_MSS_FOLDER_NOT_FOUND',
          `No folder ${JSON.stringify(folder)} in the mailbox`,
          {
            details: { folder, response: String(e.responseText ?? '').slice(0, 200) },
          },
        );
      throw imapError(err, 'SELECT');
    }
    try {
      return await fn();
    } catch (err) {
      throw err instanceof PasserelleError ? err : imapError(err, 'command');
    } finally {
      lock.release();
    }
  }

  async #requireUid(uid: number, folder: string): Promise<void> {
    checkUid(uid);
    const found = await this.#flow.search({ uid: String(uid) }, { uid: true });
    if (!(found || []).includes(uid))
      throw new PasserelleError('ERR_MSS_MESSAGE_NOT_FOUND', `No message with UID ${uid} in ${folder}`, {
        details: { uid, folder },
      });
  }

  async #requireFolder(folder: string): Promise<void> {
    const all = await this.folders();
    if (
      !all.some(
        (f) => f.path === folder || (folder.toUpperCase() === 'INBOX' && f.path.toUpperCase() === 'INBOX'),
      )
    )
      throw new PasserelleError(
        'ERR_MSS_FOLDER_NOT_FOUND',
        `No folder ${JSON.stringify(folder)} in the mailbox`,
        {
          details: { folder },
        },
      );
  }

  async folders(): Promise<MssFolder[]> {
    try {
      const list = await this.#flow.list();
      return list.map((f) => ({
        path: f.path,
        name: f.name,
        delimiter: f.delimiter || undefined,
        specialUse: f.specialUse || undefined,
      }));
    } catch (err) {
      throw imapError(err, 'LIST');
    }
  }

  list(options: MssListOptions = {}): Promise<MssMessageSummary[]> {
    const folder = options.folder ?? 'INBOX';
    return this.#inFolder(folder, async () => {
      const query: Record<string, unknown> = { all: true };
      if (options.unseen) query['seen'] = false;
      if (options.since) query['since'] = options.since;
      let uids = (await this.#flow.search(query, { uid: true })) || [];
      uids.sort((a, b) => a - b);
      if (options.limit !== undefined) uids = options.limit > 0 ? uids.slice(-options.limit) : [];
      if (uids.length === 0) return [];
      const messages: FetchMessageObject[] = await this.#flow.fetchAll(
        uids.join(','),
        {
          uid: true,
          flags: true,
          envelope: true,
          internalDate: true,
          size: true,
          bodyStructure: true,
          headers: MSS_HEADER_NAMES,
        },
        { uid: true },
      );
      return messages
        .sort((a, b) => a.uid - b.uid)
        .map((m) => {
          const internal = m.internalDate ? new Date(m.internalDate) : undefined;
          return {
            uid: m.uid,
            flags: [...(m.flags ?? [])],
            date: internal ?? (m.envelope?.date ? new Date(m.envelope.date) : undefined),
            from: addresses(m.envelope?.from),
            to: addresses(m.envelope?.to),
            subject: m.envelope?.subject ?? '',
            size: m.size ?? 0,
            attachments: attachmentParts(m.bodyStructure).length,
            mss: mssHeadersOf(m.headers),
          };
        });
    });
  }

  fetchToDir(uid: number, dir: string, options: { folder?: string } = {}): Promise<MssFetchResult> {
    const folder = options.folder ?? 'INBOX';
    return this.#inFolder(folder, async () => {
      checkUid(uid);
      // One round trip for the structure, the size and the first bytes of the message: most
      // messages come whole with it; a larger one is streamed in bounded chunks after.
      const message = await this.#flow.fetchOne(
        String(uid),
        { uid: true, bodyStructure: true, size: true, source: { maxLength: DOWNLOAD_CHUNK_BYTES } },
        { uid: true },
      );
      if (!message)
        throw new PasserelleError('ERR_MSS_MESSAGE_NOT_FOUND', `No message with UID ${uid} in ${folder}`, {
          details: { uid, folder },
        });
      await mkdir(dir, { recursive: true });
      const save = async (
        name: string,
        part: string | undefined,
      ): Promise<{ path: string; size: number }> => {
        const download = await this.#flow.download(String(uid), part, {
          uid: true,
          decodeText: false,
          // One FETCH for most messages (imapflow's default is 64 KiB per round trip), still bounded.
          chunkSize: DOWNLOAD_CHUNK_BYTES,
        });
        if (!download.content)
          throw new PasserelleError(
            'ERR_MSS_MESSAGE_NOT_FOUND',
            `Message ${uid} has no part ${part ?? '(whole)'}`,
            { details: { uid, folder } },
          );
        const { path, handle } = await createUnique(dir, name);
        const out = handle.createWriteStream(); // closes the handle when done or destroyed
        try {
          await pipeline(download.content, out);
        } catch (e) {
          await unlink(path).catch(() => {});
          throw e;
        }
        const size = out.bytesWritten;
        return { path, size };
      };
      const head = message.source;
      const eml =
        head !== undefined && message.size !== undefined && head.length === message.size
          ? await writeWhole(dir, `${uid}.eml`, head)
          : await save(`${uid}.eml`, undefined);
      const attachments: MssSavedAttachment[] = [];
      for (const [i, part] of attachmentParts(message.bodyStructure).entries()) {
        const saved = await save(safeFileName(part.filename, `attachment-${uid}-${i + 1}.bin`), part.part);
        attachments.push({
          file: saved.path,
          filename: part.filename,
          contentType: part.contentType,
          size: saved.size,
        });
      }
      return { messageFile: eml.path, attachments };
    });
  }

  markSeen(uid: number, folder = 'INBOX'): Promise<void> {
    return this.#inFolder(folder, async () => {
      await this.#requireUid(uid, folder);
      if (!(await this.#flow.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })))
        throw imapError({ message: 'STORE +FLAGS (\\Seen) was refused' }, 'UID STORE');
    });
  }

  async move(uid: number, to: string, folder = 'INBOX'): Promise<void> {
    await this.#requireFolder(to);
    return this.#inFolder(folder, async () => {
      await this.#requireUid(uid, folder);
      if (!(await this.#flow.messageMove(String(uid), to, { uid: true })))
        throw imapError({ message: `moving UID ${uid} to ${to} was refused` }, 'UID MOVE');
    });
  }

  delete(uid: number, folder = 'INBOX'): Promise<void> {
    return this.#inFolder(folder, async () => {
      await this.#requireUid(uid, folder);
      if (!(await this.#flow.messageDelete(String(uid), { uid: true })))
        throw imapError({ message: `deleting UID ${uid} was refused` }, 'UID EXPUNGE');
    });
  }

  async append(
    folder: string,
    raw: Buffer | string,
    options: { flags?: string[] } = {},
  ): Promise<number | undefined> {
    await this.#requireFolder(folder);
    let result: Awaited<ReturnType<ImapFlow['append']>>;
    try {
      result = await this.#flow.append(folder, raw, options.flags ?? []);
    } catch (err) {
      throw imapError(err, 'APPEND');
    }
    if (!result) throw imapError({ message: `APPEND to ${folder} was refused` }, 'APPEND');
    return result.uid;
  }

  async close(): Promise<void> {
    try {
      await this.#flow.logout();
    } catch {
      this.#flow.close();
    }
  }
}
