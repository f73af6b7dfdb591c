import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PasserelleError } from '../../errors.ts';
import type { _ReceivedDocument } from './_document-sink.ts';
import { _PublishGroup } from './_publish-group.ts';

export interface _StoredDocumentInput {
  readonly received: _ReceivedDocument;
  readonly title: string;
  readonly fileName: string;
  readonly mime: string;
  readonly mainContent: boolean;
}

export interface _PublicationInput {
  readonly channel: 'soap' | 'rest';
  readonly senderCbe: string;
  readonly senderApp: string;
  /** SOAP MessageID (idempotency: same sender, ticket and sequence replaces). */
  readonly ticket?: { readonly ticket: string; readonly sequence: number | undefined };
  /** REST Idempotency-Key (a second use by the same sender application: ERR_EBOX_DUPLICATE). */
  readonly idempotencyKey?: string;
  readonly messageType: string;
  readonly subject: string;
  readonly recipients: readonly string[];
  readonly documents: readonly _StoredDocumentInput[];
  readonly now: string;
  readonly expiresAt: string;
}

export interface _MessageRow {
  readonly id: string;
  readonly channel: string;
  readonly sender_cbe: string;
  readonly sender_app: string;
  readonly ticket: string | null;
  readonly sequence: number;
  readonly message_type: string;
  readonly subject: string;
  readonly published_at: string;
  readonly updated_at: string;
  readonly expires_at: string;
  readonly versions: number;
}

export interface _DocumentRow {
  readonly id: string;
  readonly message_id: string;
  readonly title: string;
  readonly file_name: string;
  readonly mime: string;
  readonly size: number;
  readonly sha256: string;
  readonly sha512: string | null;
  readonly file: string;
  readonly main_content: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  id TEXT PRIMARY KEY, channel TEXT NOT NULL, sender_cbe TEXT NOT NULL, sender_app TEXT NOT NULL,
  ticket TEXT, sequence INTEGER NOT NULL DEFAULT -1, message_type TEXT NOT NULL, subject TEXT NOT NULL,
  published_at TEXT NOT NULL, updated_at TEXT NOT NULL, expires_at TEXT NOT NULL,
  versions INTEGER NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX IF NOT EXISTS messages_ticket ON messages (sender_cbe, sender_app, ticket, sequence)
  WHERE ticket IS NOT NULL;
CREATE TABLE IF NOT EXISTS recipients (
  message_id TEXT NOT NULL REFERENCES messages (id), inss TEXT NOT NULL, read_at TEXT,
  PRIMARY KEY (message_id, inss));
CREATE INDEX IF NOT EXISTS recipients_inss ON recipients (inss);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, message_id TEXT NOT NULL REFERENCES messages (id), position INTEGER NOT NULL,
  title TEXT NOT NULL, file_name TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL,
  sha256 TEXT NOT NULL, sha512 TEXT, file TEXT NOT NULL, main_content INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
  sender_cbe TEXT NOT NULL, sender_app TEXT NOT NULL, key TEXT NOT NULL, message_id TEXT NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY (sender_cbe, sender_app, key));
CREATE TABLE IF NOT EXISTS opened (inss TEXT PRIMARY KEY, opened_at TEXT NOT NULL);
`;

/**
 * The one store of the eBox sandbox (SOAP and REST): SQLite at `<dir>/ebox.sqlite` (WAL,
 * synchronous=FULL) and the documents under `<dir>/documents/`. A document is written to a
 * temporary file, fsynced and renamed before its row is written (see _DocumentSink), so a row
 * never names a missing file; files a replaced message no longer uses are removed after the
 * transaction. Publications are written in groups (_PublishGroup: one directory fsync and one
 * commit for those asked at once).
 */
export class _EboxStore {
  readonly #db: Database.Database;
  readonly #group: _PublishGroup;
  /** Statements by SQL text: prepared once, not per publication. */
  readonly #statements = new Map<string, Database.Statement>();
  readonly documentsDir: string;

  constructor(dir: string) {
    this.documentsDir = join(dir, 'documents');
    mkdirSync(this.documentsDir, { recursive: true, mode: 0o700 });
    this.#db = new Database(join(dir, 'ebox.sqlite'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.exec(SCHEMA);
    this.#group = new _PublishGroup(this.#db, this.documentsDir);
  }

  #sql(text: string): Database.Statement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  /** The message of this sender with this ticket and sequence, and whether a recipient read it. */
  byTicket(cbe: string, app: string, ticket: string, sequence: number | undefined) {
    const row = this.#sql(
      'SELECT * FROM messages WHERE sender_cbe = ? AND sender_app = ? AND ticket = ? AND sequence = ?',
    ).get(cbe, app, ticket, sequence ?? -1) as _MessageRow | undefined;
    return row === undefined ? undefined : { row, read: this.#read(row.id) };
  }

  #read(id: string): boolean {
    return (
      this.#sql('SELECT 1 FROM recipients WHERE message_id = ? AND read_at IS NOT NULL').get(id) !== undefined
    );
  }

  /**
   * Stores a publication: a new message, or (same sender, ticket and sequence) the replacement of
   * an unread one, keeping its id. Documents are committed (renamed) first, then the rows in one
   * transaction. Throws ERR_EBOX_DUPLICATE for a reused Idempotency-Key and for a replacement of a
   * message already read (checked again inside the transaction).
   */
  async publish(input: _PublicationInput): Promise<{ id: string; replaced: boolean }> {
    const files = input.documents.map(() => `${randomUUID()}.bin`);
    for (const [i, d] of input.documents.entries())
      await rename(d.received.tmpPath, join(this.documentsDir, files[i]!));
    let obsolete: string[] = [];
    try {
      // The group syncs the directory (the renames) before its transaction writes the rows.
      const result = await this.#group.run(() => {
        const t = input.ticket;
        const existing = t && this.byTicket(input.senderCbe, input.senderApp, t.ticket, t.sequence);
        if (existing?.read) throw _duplicate('read');
        const id = existing?.row.id ?? randomUUID();
        if (existing) {
          obsolete = (
            this.#sql('SELECT file FROM documents WHERE message_id = ?').all(id) as { file: string }[]
          ).map((r) => r.file);
          this.#sql('DELETE FROM documents WHERE message_id = ?').run(id);
          this.#sql('DELETE FROM recipients WHERE message_id = ?').run(id);
          this.#sql(
            'UPDATE messages SET channel = ?, message_type = ?, subject = ?, updated_at = ?, expires_at = ?, versions = versions + 1 WHERE id = ?',
          ).run(input.channel, input.messageType, input.subject, input.now, input.expiresAt, id);
        } else {
          this.#sql(
            'INSERT INTO messages (id, channel, sender_cbe, sender_app, ticket, sequence, message_type, subject, published_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          ).run(
            id,
            input.channel,
            input.senderCbe,
            input.senderApp,
            t?.ticket ?? null,
            t?.sequence ?? -1,
            input.messageType,
            input.subject,
            input.now,
            input.now,
            input.expiresAt,
          );
        }
        if (input.idempotencyKey !== undefined) {
          const taken = this.#sql('INSERT OR IGNORE INTO idempotency VALUES (?, ?, ?, ?, ?)').run(
            input.senderCbe,
            input.senderApp,
            input.idempotencyKey,
            id,
            input.now,
          );
          if (taken.changes === 0) throw _duplicate('idempotency-key');
        }
        for (const inss of new Set(input.recipients))
          this.#sql('INSERT INTO recipients (message_id, inss) VALUES (?, ?)').run(id, inss);
        for (const [i, d] of input.documents.entries()) {
          this.#sql('INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
            randomUUID(),
            id,
            i,
            d.title,
            d.fileName,
            d.mime,
            d.received.size,
            d.received.sha256,
            d.received.sha512 ?? null,
            files[i],
            d.mainContent ? 1 : 0,
          );
        }
        return { id, replaced: existing !== undefined };
      });
      for (const f of obsolete) rmSync(join(this.documentsDir, f), { force: true });
      return result;
    } catch (error) {
      for (const f of files) rmSync(join(this.documentsDir, f), { force: true });
      throw error;
    }
  }

  /** Whether this sender application already used this Idempotency-Key. */
  hasIdempotencyKey(cbe: string, app: string, key: string): boolean {
    return (
      this.#sql('SELECT 1 FROM idempotency WHERE sender_cbe = ? AND sender_app = ? AND key = ?').get(
        cbe,
        app,
        key,
      ) !== undefined
    );
  }

  /** Messages of an institution with this ticket (and sequence, when given) addressed to `inss`. */
  statusOf(cbe: string, inss: string, ticket: string, sequence: number | undefined) {
    const rows = this.#sql(
      `SELECT m.id, m.sequence, r.read_at FROM messages m JOIN recipients r ON r.message_id = m.id
         WHERE m.sender_cbe = ? AND r.inss = ? AND m.ticket = ?${sequence === undefined ? '' : ' AND m.sequence = ?'}`,
    ).all(...[cbe, inss, ticket, ...(sequence === undefined ? [] : [sequence])]) as {
      id: string;
      sequence: number;
      read_at: string | null;
    }[];
    return rows;
  }

  /** A citizen's messages, newest first, with the citizen's read time. */
  inbox(inss: string): (_MessageRow & { read_at: string | null })[] {
    return this.#sql(
      'SELECT m.*, r.read_at FROM messages m JOIN recipients r ON r.message_id = m.id WHERE r.inss = ? ORDER BY m.updated_at DESC, m.id',
    ).all(inss) as (_MessageRow & { read_at: string | null })[];
  }

  /** One message of a citizen's inbox, or undefined. */
  message(inss: string, id: string): (_MessageRow & { read_at: string | null }) | undefined {
    return this.#sql(
      'SELECT m.*, r.read_at FROM messages m JOIN recipients r ON r.message_id = m.id WHERE r.inss = ? AND m.id = ?',
    ).get(inss, id) as (_MessageRow & { read_at: string | null }) | undefined;
  }

  documents(messageId: string): _DocumentRow[] {
    return this.#sql('SELECT * FROM documents WHERE message_id = ? ORDER BY position').all(
      messageId,
    ) as _DocumentRow[];
  }

  /** The citizen opened a main document: the message is read (first time kept), the eBox opened. */
  markRead(inss: string, messageId: string, at: string): void {
    this.#db.transaction(() => {
      this.#sql(
        'UPDATE recipients SET read_at = ? WHERE message_id = ? AND inss = ? AND read_at IS NULL',
      ).run(at, messageId, inss);
      this.#sql('INSERT OR IGNORE INTO opened VALUES (?, ?)').run(inss, at);
    })();
  }

  /** When the citizen first opened their eBox in the sandbox, if ever. */
  openedAt(inss: string): string | undefined {
    const row = this.#sql('SELECT opened_at FROM opened WHERE inss = ?').get(inss) as
      | { opened_at: string }
      | undefined;
    return row?.opened_at;
  }

  counts(): { messages: number; documents: number } {
    const n = (sql: string) => (this.#sql(sql).get() as { n: number }).n;
    return {
      messages: n('SELECT count(*) AS n FROM messages'),
      documents: n('SELECT count(*) AS n FROM documents'),
    };
  }

  close(): void {
    this.#db.close();
  }
}

function _duplicate(why: 'read' | 'idempotency-key'): PasserelleError {
  return new PasserelleError(
    'ERR_EBOX_DUPLICATE',
    why === 'read'
      ? 'A message with this ticket and sequence was already read by the citizen'
      : 'This Idempotency-Key was already used by this sender application',
    { details: { reason: why } },
  );
}
