import type { X509Certificate } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { ImapFlow } from 'imapflow';
import { MemoryLogger } from '../../../src/log.ts';
import { FileMailStore } from '../../../src/sandbox/imap/file-mail-store.ts';
import { type ImapServerOptions, startImapServer } from '../../../src/sandbox/imap/start-imap-server.ts';
import type { MailAuthenticator, MailAuthResult } from '../../../src/sandbox/imap/types.ts';
import { testPki } from '../../_support/credentials.ts';
import { tempDir } from '../../_support/tmp.ts';

export const ALICE = 'alice@mss.test';
export const BOB = 'bob@mss.test';
/** Test tokens: token → the mailbox it opens. */
export const TOKENS: Record<string, string> = {
  'tok-alice-1': ALICE,
  'tok-alice-2': ALICE,
  'tok-bob-1': BOB,
};

/** A real MailAuthenticator over a fixed table of tokens and certificate subjects. */
export class TableAuthenticator implements MailAuthenticator {
  constructor(
    private readonly tokens: Record<string, string>,
    /** Certificate subject CN → mailbox it may open with EXTERNAL. */
    private readonly certificates: Record<string, string> = {},
  ) {}

  async xoauth2(user: string, token: string): Promise<MailAuthResult> {
    const mailbox = this.tokens[token];
    if (!mailbox) return { ok: false, reason: 'token-inactive', status: '401' };
    if (mailbox.toLowerCase() !== user.toLowerCase())
      return { ok: false, reason: 'mailbox-not-owned', status: '403' };
    return { ok: true, mailbox, subject: `token:${mailbox}` };
  }

  external(certificate: X509Certificate | undefined, authzid: string): MailAuthResult {
    if (!certificate) return { ok: false, reason: 'no-trusted-certificate', status: '401' };
    const cn = /CN=([^\n,]+)/.exec(certificate.subject)?.[1] ?? '';
    const mailbox = this.certificates[cn];
    if (!mailbox || mailbox !== authzid.toLowerCase())
      return { ok: false, reason: 'mailbox-not-owned', status: '403' };
    return { ok: true, mailbox, subject: cn };
  }
}

export interface Fixture {
  readonly port: number;
  readonly ca: string;
  readonly dir: string;
  readonly store: FileMailStore;
  readonly log: MemoryLogger;
  readonly server: Awaited<ReturnType<typeof startImapServer>>;
}

/** A server with its own store directory, stopped when the test ends. */
export async function startFixture(
  t: TestContext,
  options: Partial<Omit<ImapServerOptions, 'tls' | 'store' | 'auth' | 'log'>> & {
    certificates?: Record<string, string>;
    dir?: string;
  } = {},
): Promise<Fixture> {
  const pki = await testPki();
  const dir = options.dir ?? tempDir(t, 'passerelle-imap-');
  const store = new FileMailStore(dir, { mailboxes: [ALICE, BOB] });
  const log = new MemoryLogger();
  const server = await startImapServer({
    host: '127.0.0.1',
    port: 0,
    mode: 'implicit',
    ...options,
    tls: { key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem },
    store,
    auth: new TableAuthenticator(TOKENS, options.certificates),
    log,
  });
  t.after(() => server.close());
  return { port: server.port, ca: pki.ca.certPem, dir, store, log, server };
}

/** An imapflow client (XOAUTH2 with the access token), logged out when the test ends. */
export async function imapflow(t: TestContext, f: Fixture, user = ALICE, accessToken = 'tok-alice-1') {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: f.port,
    secure: true,
    servername: 'localhost',
    tls: { ca: f.ca, servername: 'localhost' },
    auth: { user, accessToken },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  t.after(async () => {
    if (client.usable) await client.logout().catch(() => undefined);
  });
  return client;
}

export function xoauth2(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
}

/** A raw IMAP connection read line by line; every wait is on a line or on the close. */
export class RawImap {
  readonly lines: string[] = [];
  #buf = '';
  #waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  #isClosed = false;

  constructor(public socket: Socket | TLSSocket) {
    this.closed = new Promise((resolve) => {
      this.#attach(socket, resolve);
    });
  }

  #resolveClosed: (() => void) | undefined;

  #attach(socket: Socket, onClose?: () => void): void {
    if (onClose) this.#resolveClosed = onClose;
    socket.on('data', (c: Buffer) => {
      this.#buf += c.toString('latin1');
      let at = this.#buf.indexOf('\r\n');
      while (at >= 0) {
        this.lines.push(this.#buf.slice(0, at));
        this.#buf = this.#buf.slice(at + 2);
        at = this.#buf.indexOf('\r\n');
      }
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#isClosed = true;
      this.#resolveClosed?.();
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Waits for a line matching `re`, searching the lines received from index `from` on. */
  async waitFor(re: RegExp, from = 0, boundMs = 20_000): Promise<string> {
    const bound = Date.now() + boundMs;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => re.test(l));
      if (hit !== undefined) return hit;
      if (this.#isClosed) throw new Error(`closed before ${re}; got:\n${this.lines.join('\n')}`);
      if (Date.now() > bound)
        throw new Error(`no line ${re} within ${boundMs} ms; got:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 1000).unref();
      });
    }
  }

  /** Sends `tag command` and resolves the tagged response line. */
  async command(tag: string, command: string): Promise<string> {
    const from = this.lines.length;
    this.send(`${tag} ${command}\r\n`);
    return this.waitFor(new RegExp(`^${tag} (OK|NO|BAD)`), from);
  }

  /** Upgrades to TLS in place (after STARTTLS's OK). */
  async starttls(ca: string): Promise<void> {
    const tls = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: this.socket, ca, servername: 'localhost' }, () => resolve(s));
      s.once('error', reject);
    });
    this.socket.removeAllListeners('data');
    this.socket = tls;
    this.#attach(tls);
  }
}

export async function rawConnect(f: { port: number; ca: string }, secure = true): Promise<RawImap> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = secure
      ? tlsConnect({ host: '127.0.0.1', port: f.port, ca: f.ca, servername: 'localhost' }, () => resolve(s))
      : netConnect({ host: '127.0.0.1', port: f.port }, () => resolve(s));
    s.once('error', reject);
  });
  const raw = new RawImap(socket);
  await raw.waitFor(/^\* (OK|BYE)/);
  return raw;
}

/** The attachment of `sampleMessage`: bytes that survive only a byte-exact download. */
export const ATTACHMENT = Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x0a, 0x0d, 0x41, 0x80, 0x7f, 0x00]);

/** A multipart/mixed message: a text part and a base64 attachment. */
export function sampleMessage(opts: { subject?: string; from?: string; body?: string } = {}): string {
  const b64 = ATTACHMENT.toString('base64');
  return [
    `From: ${opts.from ?? 'Bob Martin <bob@mss.test>'}`,
    `To: Alice <${ALICE}>`,
    `Subject: ${opts.subject ?? 'Compte rendu'}`,
    'Date: Mon, 01 Jun 2026 10:00:00 +0000',
    'Message-ID: <cr-1@mss.test>',
    'X-MSS-NIL: 123',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="==b1=="',
    '',
    '--==b1==',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body ?? 'Bonjour, voici le compte rendu.',
    '--==b1==',
    'Content-Type: application/pdf; name="cr.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="cr.pdf"',
    '',
    b64,
    '--==b1==--',
    '',
  ].join('\r\n');
}
