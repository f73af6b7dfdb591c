/**
 * A line-protocol connection for the conformance probes: IMAP and SMTP spoken by hand, so a
 * probe can send what no well-behaved client library would (a malformed XOAUTH2 response, an
 * expired token, TLS 1.0) and record every line in both directions. Lines are recorded raw;
 * the runner redacts the whole transcript once a case ends. Bounded: lines over 8 KiB, more
 * than 400 recorded lines, or a silent peer (timeout) end the read with a WireError.
 */
import { connect as netConnect, type Socket } from 'node:net';
import {
  type ConnectionOptions,
  type PeerCertificate,
  type TLSSocket,
  connect as tlsConnect,
} from 'node:tls';
import type { EvidenceLine } from './verdict.ts';

const MAX_LINE = 8192;
const MAX_RECORDED = 400;
const RECORDED_CHARS = 600;

export type WireFailure = 'timeout' | 'closed' | 'line-too-long' | 'connect' | 'tls';

export class WireError extends Error {
  readonly kind: WireFailure;
  readonly causeCode: string | undefined;
  constructor(kind: WireFailure, message: string, causeCode?: string) {
    super(message);
    this.kind = kind;
    this.causeCode = causeCode;
  }
}

export class Transcript {
  readonly lines: EvidenceLine[] = [];
  add(dir: EvidenceLine['dir'], text: string): void {
    if (this.lines.length >= MAX_RECORDED) return;
    const cut =
      text.length > RECORDED_CHARS ? `${text.slice(0, RECORDED_CHARS)}… (${text.length} chars)` : text;
    this.lines.push({ dir, text: cut });
    if (this.lines.length === MAX_RECORDED) this.lines.push({ dir: 'note', text: 'transcript truncated' });
  }
  note(text: string): void {
    this.add('note', text);
  }
}

export interface TlsInfo {
  readonly protocol: string | null;
  readonly cipher: string;
  readonly authorized: boolean;
  readonly authorizationError: string | undefined;
  readonly certificate: PeerCertificate | undefined;
}

export interface WireOptions {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly transcript: Transcript;
  readonly signal?: AbortSignal | undefined;
}

/** One connection; `tls` given: TLS from the first byte. */
export class Wire {
  #socket: Socket | TLSSocket;
  #buffer = '';
  #waiters: (() => void)[] = [];
  #ended: WireError | undefined;
  readonly #o: WireOptions;

  private constructor(socket: Socket | TLSSocket, o: WireOptions) {
    this.#o = o;
    this.#socket = socket;
    this.#attach(socket);
    o.signal?.addEventListener(
      'abort',
      () => {
        this.#end(new WireError('timeout', 'the case was stopped (timeout or cancelled run)'));
        this.#socket.destroy();
      },
      { once: true },
    );
  }

  static async open(o: WireOptions, tls?: ConnectionOptions): Promise<Wire> {
    const label = `${o.host}:${o.port}`;
    o.transcript.note(`connect ${label}${tls ? ` (TLS ${describeVersions(tls)})` : ''}`);
    const socket = await new Promise<Socket | TLSSocket>((resolve, reject) => {
      const s = tls
        ? tlsConnect({
            ...tls,
            host: o.host,
            port: o.port,
            servername: tls.servername ?? servernameOf(o.host),
          })
        : netConnect({ host: o.host, port: o.port });
      const timer = setTimeout(
        () =>
          fail(new WireError('timeout', `no ${tls ? 'TLS handshake' : 'connection'} with ${label} in time`)),
        o.timeoutMs,
      );
      const onAbort = () => fail(new WireError('timeout', 'run cancelled'));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
      };
      const fail = (e: WireError) => {
        done();
        s.destroy();
        reject(e);
      };
      // TCP up, then the handshake failed (a reset, a close, an alert): the server refused TLS.
      let tcpUp = false;
      if (tls) s.once('connect', () => (tcpUp = true));
      s.once(tls ? 'secureConnect' : 'connect', () => {
        done();
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        fail(new WireError(tls && tcpUp ? 'tls' : 'connect', e.message, e.code));
      });
    });
    const wire = new Wire(socket, o);
    if (tls) wire.#noteTls();
    return wire;
  }

  #attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      this.#wake();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => this.#end(new WireError('closed', e.message, e.code)));
    socket.on('close', () => this.#end(new WireError('closed', 'the server closed the connection')));
  }

  #end(e: WireError): void {
    this.#ended ??= e;
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** The next line from the server (CRLF removed). */
  async readLine(timeoutMs = this.#o.timeoutMs): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.#buffer.indexOf('\n');
      if (at >= 0) {
        const line = this.#buffer.slice(0, at).replace(/\r$/, '');
        this.#buffer = this.#buffer.slice(at + 1);
        this.#o.transcript.add('s', line);
        return line;
      }
      if (this.#buffer.length > MAX_LINE)
        throw new WireError('line-too-long', `a server line over ${MAX_LINE} bytes`);
      if (this.#ended) throw this.#ended;
      const left = deadline - Date.now();
      if (left <= 0) throw new WireError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`);
      if (this.#o.signal?.aborted) throw new WireError('timeout', 'run cancelled');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Lines until `last(line)` is true; returns them all. */
  async readUntil(last: (line: string) => boolean, timeoutMs?: number): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine(timeoutMs);
      lines.push(line);
      if (last(line)) return lines;
    }
  }

  send(line: string): void {
    this.#o.transcript.add('c', line);
    this.#socket.write(`${line}\r\n`, 'latin1');
  }

  /** Upgrades the connection (STARTTLS accepted by the server). */
  async startTls(tls: ConnectionOptions): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    this.#o.transcript.note(`TLS handshake (${describeVersions(tls)})`);
    this.#socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({
        ...tls,
        socket: plain,
        servername: tls.servername ?? servernameOf(this.#o.host),
      });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new WireError('timeout', 'no TLS handshake in time'));
      }, this.#o.timeoutMs);
      s.once('secureConnect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        s.destroy();
        reject(new WireError('tls', e.message, e.code));
      });
    });
    this.#buffer = '';
    this.#attach(this.#socket);
    this.#noteTls();
  }

  tlsInfo(): TlsInfo | undefined {
    const s = this.#socket as TLSSocket;
    if (typeof s.getProtocol !== 'function') return undefined;
    return {
      protocol: s.getProtocol(),
      cipher: s.getCipher()?.name ?? '',
      authorized: s.authorized,
      authorizationError: s.authorizationError ? String(s.authorizationError) : undefined,
      certificate: s.getPeerCertificate() ?? undefined,
    };
  }

  #noteTls(): void {
    const info = this.tlsInfo();
    if (info)
      this.#o.transcript.note(
        `TLS ${info.protocol ?? '?'} ${info.cipher}${info.authorized ? ', certificate verified' : info.authorizationError ? `, certificate not verified: ${info.authorizationError}` : ''}`,
      );
  }

  close(): void {
    this.#socket.destroy();
  }
}

function servernameOf(host: string): string | undefined {
  return /^[0-9.]+$|:/.test(host) ? undefined : host;
}

function describeVersions(tls: ConnectionOptions): string {
  const min = tls.minVersion ?? 'TLSv1.2';
  const max = tls.maxVersion ?? 'TLSv1.3';
  return min === max ? min : `${min}–${max}`;
}
