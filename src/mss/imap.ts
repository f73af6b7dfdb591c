import { ImapFlow } from 'imapflow';
import { PasserelleError } from '../errors.ts';
import { imapError, transportError } from './_errors.ts';
import { type ImapFlowInternals, installMssAuth } from './_imap-auth.ts';
import { ImapSession } from './_imap-session.ts';
import { parseEndpoint, timeoutOf, tlsOptions } from './_tls.ts';
import type {
  MssFetchResult,
  MssFolder,
  MssImapOptions,
  MssListOptions,
  MssMessageSummary,
} from './types.ts';

/** An authenticated IMAP session on an MSSanté mailbox. Errors are PasserelleErrors with ERR_MSS_* codes. */
export interface MssImap {
  /** The mailbox's folders. */
  folders(): Promise<MssFolder[]>;
  /** Messages of a folder (default INBOX), by ascending UID. ERR_MSS_FOLDER_NOT_FOUND. */
  list(options?: MssListOptions): Promise<MssMessageSummary[]>;
  /**
   * Writes the raw message as `<dir>/<uid>.eml` and each attachment, decoded, under a safe
   * name (last path segment, no control characters; `-1`, `-2`, … added instead of
   * overwriting). ERR_MSS_MESSAGE_NOT_FOUND, ERR_MSS_FOLDER_NOT_FOUND.
   */
  fetchToDir(uid: number, dir: string, options?: { folder?: string }): Promise<MssFetchResult>;
  markSeen(uid: number, folder?: string): Promise<void>;
  /** Moves a message to folder `to` (UID MOVE, or COPY + delete). */
  move(uid: number, to: string, folder?: string): Promise<void>;
  /** `\Deleted` then UID EXPUNGE of that message only. */
  delete(uid: number, folder?: string): Promise<void>;
  /** Appends a raw RFC 5322 message; resolves to its UID when the server says (UIDPLUS). */
  append(folder: string, raw: Buffer | string, options?: { flags?: string[] }): Promise<number | undefined>;
  /** LOGOUT and close; never throws. */
  close(): Promise<void>;
}

/**
 * Connects and authenticates to the operator's IMAP server (API LPS):
 * - `imaps://` TLS from the first byte, `imap://` STARTTLS required (never goes on in clear);
 *   TLS 1.2 or later, certificate and host name verified (`ca`, `servername`);
 * - XOAUTH2 with the access token (`auth.kind: 'xoauth2'`), or EXTERNAL with the TLS client
 *   certificate (`auth.kind: 'external'`, AUTH_CLI); see installMssAuth for the fail-closed checks;
 * - errors: ERR_MSS_TOKEN_REJECTED (details.protocol `imap`, details.status from RFC 7628),
 *   ERR_MSS_AUTH_FAILED, ERR_MSS_UNSUPPORTED, ERR_MSS_TLS, ERR_MSS_CONNECT, ERR_MSS_TIMEOUT,
 *   ERR_MSS_IMAP.
 * imapflow's logger is off; the token is sent marked sensitive and never kept.
 */
export async function openMssImap(options: MssImapOptions): Promise<MssImap> {
  const endpoint = parseEndpoint(options.url, 'imap');
  const timeout = timeoutOf(options);
  const flow = new ImapFlow({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.implicitTls,
    doSTARTTLS: endpoint.implicitTls ? undefined : true,
    ...(options.servername ? { servername: options.servername } : {}),
    tls: tlsOptions(options, endpoint.host),
    // Never used: installMssAuth replaces imapflow's authentication (which would pick OAUTHBEARER).
    auth: { user: options.mailbox, accessToken: 'unused' },
    logger: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: Math.max(timeout, 60_000),
    disableAutoIdle: true,
    disableCompression: true,
    emitLogs: false,
    clientInfo: { name: 'Passerelle' },
  });
  const failure: { error?: PasserelleError } = {};
  installMssAuth(flow as unknown as ImapFlowInternals, options.mailbox, options.auth, failure);
  let socketError: unknown;
  flow.on('error', (err: unknown) => {
    socketError ??= err;
  });
  try {
    await flow.connect();
  } catch (err) {
    flow.close();
    if (failure.error) throw failure.error;
    const e = err as { tlsFailed?: boolean; code?: string; message?: string };
    if (e.tlsFailed && /not support STARTTLS|STARTTLS is not possible/.test(String(e.message)))
      throw new PasserelleError(
        'ERR_MSS_UNSUPPORTED',
        `The IMAP server did not start TLS: ${e.message}; nothing was sent in clear`,
        {
          details: { protocol: 'imap' },
        },
      );
    throw (
      transportError(err, 'imap', 'connect') ??
      transportError(socketError, 'imap', 'connect') ??
      imapError(err, 'connect')
    );
  }
  return new ImapSession(flow);
}
