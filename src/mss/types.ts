/** How a session authenticates to the operator's IMAP and SMTP servers. */
export type MssAuth =
  | {
      /** "MIE PSC": SASL XOAUTH2 with a Pro Santé Connect access token. */
      readonly kind: 'xoauth2';
      /** Called once per connection, right before the token is sent (never logged). */
      readonly accessToken: () => Promise<string>;
    }
  | {
      /** "MIE AUTH_CLI": the TLS client certificate (IMAP `AUTHENTICATE EXTERNAL`). */
      readonly kind: 'external';
      /** PEM certificate (and chain). */
      readonly cert: string;
      /** PEM private key (unencrypted; decrypt it before). */
      readonly key: string;
    };

/** What both clients need to reach one server. */
export interface MssConnectionOptions {
  /** `imaps://host:993` / `imap://host:143` (STARTTLS); `smtps://host:465` / `smtp://host:587` (STARTTLS). */
  readonly url: string;
  /** The MSSanté mailbox (XOAUTH2 `user=`, EXTERNAL authorization identity, SMTP sender). */
  readonly mailbox: string;
  /** PEM bundle of trusted CAs (default: the system's). Host names are always checked. */
  readonly ca?: string;
  readonly auth: MssAuth;
  /** Connection, greeting and per-answer timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** The TLS server name to expect, when it differs from the URL's host. */
  readonly servername?: string;
}

export type MssImapOptions = MssConnectionOptions;
export type MssSmtpOptions = MssConnectionOptions;

/** The MSSanté headers of a message, as read back. */
export interface MssMessageHeaders {
  readonly nil?: string;
  readonly codecda?: string;
  readonly ins?: string;
  readonly mes?: string;
}

/** One message of a folder listing. */
export interface MssMessageSummary {
  readonly uid: number;
  readonly flags: readonly string[];
  /** The INTERNALDATE (arrival), else the Date header. */
  readonly date: Date | undefined;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly subject: string;
  readonly size: number;
  /** Parts with an attachment disposition or a file name. */
  readonly attachments: number;
  readonly mss: MssMessageHeaders;
}

export interface MssFolder {
  /** The full IMAP path, to use in the other calls. */
  readonly path: string;
  readonly name: string;
  readonly delimiter: string | undefined;
  /** `\Sent`, `\Trash`, … when the server says. */
  readonly specialUse: string | undefined;
}

export interface MssListOptions {
  /** Default `INBOX`. */
  readonly folder?: string;
  /** Only messages without `\Seen`. */
  readonly unseen?: boolean;
  /** Only messages that arrived on or after this day (IMAP SINCE: date only). */
  readonly since?: Date;
  /** At most this many, the newest (highest UIDs). */
  readonly limit?: number;
}

export interface MssSavedAttachment {
  /** Where it was written. */
  readonly file: string;
  /** The name the message gave (before sanitising), or undefined. */
  readonly filename: string | undefined;
  readonly contentType: string;
  /** Bytes written (decoded). */
  readonly size: number;
}

export interface MssFetchResult {
  /** `<dir>/<uid>.eml` (with a suffix when it existed), the raw message. */
  readonly messageFile: string;
  readonly attachments: readonly MssSavedAttachment[];
}

/** An MSSanté message to send. */
export interface MssOutgoingMessage {
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly subject: string;
  readonly text?: string;
  /** Files streamed from disk (never read whole). */
  readonly attachments?: readonly { path: string; filename?: string; contentType?: string }[];
  /** CDA files, packed into one `IHE_XDM.ZIP` attachment (and the X-MSS-CODECDA / X-MSS-INS headers). */
  readonly cda?: readonly string[];
  /** `X-MSS-MES: FIN` (a message to a patient that must not be answered). */
  readonly fin?: boolean;
  /** The software's reference number: `X-MSS-NIL`. */
  readonly nil: string;
  readonly extraHeaders?: Readonly<Record<string, string>>;
}

export interface MssSendResult {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  /** The server's last reply to DATA. */
  readonly response: string;
}
