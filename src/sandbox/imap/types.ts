import type { X509Certificate } from 'node:crypto';

/**
 * What the sandbox's mail servers (IMAP here, SMTP in `sandbox/mss`) share: the message store
 * of every mailbox, and the authentication of a session. Mailbox addresses are compared in
 * lower case.
 */

/** One message of a folder, without its bytes. */
export interface StoredMessage {
  /** Strictly increasing within a folder; never reused while `uidValidity` holds. */
  readonly uid: number;
  /** System flags (`\Seen`, `\Deleted`, `\Answered`, `\Flagged`, `\Draft`) and keywords. */
  readonly flags: readonly string[];
  readonly internalDate: Date;
  /** RFC 5322 size in bytes (CRLF line ends). */
  readonly size: number;
}

export interface FolderStatus {
  readonly name: string;
  readonly uidValidity: number;
  readonly uidNext: number;
  readonly messages: number;
  readonly unseen: number;
}

/** Why a store operation failed: the IMAP server maps these to NO responses. */
export type MailStoreFailure = 'no-such-folder' | 'no-such-message' | 'folder-exists' | 'too-large' | 'quota';

export class MailStoreError extends Error {
  override readonly name = 'MailStoreError';
  constructor(
    readonly reason: MailStoreFailure,
    message: string,
  ) {
    super(message);
  }
}

/** What happened in a folder, for IDLE and unsolicited EXISTS/EXPUNGE responses. */
export type FolderEvent =
  | { readonly kind: 'exists'; readonly uid: number }
  | { readonly kind: 'expunge'; readonly uid: number }
  | { readonly kind: 'flags'; readonly uid: number; readonly flags: readonly string[] };

/** The mailboxes of the sandbox operator; persisted under the state directory. */
export interface MailStore {
  /** Whether the address is a mailbox of this store. */
  hasMailbox(address: string): boolean;
  /** Folder names of a mailbox (`INBOX` first; `Sent`, `Trash` exist from the start). */
  folders(mailbox: string): readonly string[];
  createFolder(mailbox: string, folder: string): void;
  status(mailbox: string, folder: string): FolderStatus;
  /** Messages by ascending UID: the IMAP sequence number of one is its index + 1. */
  messages(mailbox: string, folder: string): readonly StoredMessage[];
  /** The raw RFC 5322 bytes of one message. */
  read(mailbox: string, folder: string, uid: number): Buffer;
  /** Adds a message (SMTP delivery, IMAP APPEND, COPY); resolves to its UID once durable on disk. */
  append(
    mailbox: string,
    folder: string,
    raw: Buffer,
    options?: { readonly flags?: readonly string[]; readonly internalDate?: Date },
  ): Promise<number>;
  setFlags(mailbox: string, folder: string, uid: number, flags: readonly string[]): void;
  /** Removes the messages (EXPUNGE, MOVE); unknown UIDs are ignored. */
  remove(mailbox: string, folder: string, uids: readonly number[]): void;
  /** Listens to a folder's changes (made by any session or by SMTP delivery); returns the unsubscribe. */
  watch(mailbox: string, folder: string, listener: (event: FolderEvent) => void): () => void;
}

/** The outcome of authenticating a session. */
export type MailAuthResult =
  | { readonly ok: true; readonly mailbox: string; readonly subject: string }
  | {
      readonly ok: false;
      /** For the log and the exchange journal (e.g. `token-inactive`, `mailbox-not-owned`). */
      readonly reason: string;
      /** The RFC 7628 error status for XOAUTH2 failures: `401` (token), `403` (not this mailbox). */
      readonly status: '400' | '401' | '403';
    };

/** How the mail servers authenticate: XOAUTH2 tokens by introspection, EXTERNAL by TLS client certificate. */
export interface MailAuthenticator {
  /** XOAUTH2: `user=` and the bearer token of the initial response (already decoded and split). */
  xoauth2(user: string, token: string): Promise<MailAuthResult>;
  /**
   * SASL EXTERNAL (AUTH_CLI): the TLS client certificate the handshake verified against the
   * sandbox CA (undefined when none or untrusted) and the authorization identity asked for.
   */
  external(certificate: X509Certificate | undefined, authzid: string): MailAuthResult;
}
