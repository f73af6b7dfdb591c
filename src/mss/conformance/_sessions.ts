/**
 * IMAP and SMTP spoken over a Wire, as the probes need them: the greeting, capabilities before
 * and after TLS (STARTTLS endpoints) or after the implicit-TLS handshake, and a SASL exchange
 * that follows the RFC 7628 failure dialogue (challenge → empty client line → final answer).
 */
import type { ConnectionOptions } from 'node:tls';
import { type Transcript, Wire } from './_wire.ts';
import type { TargetEndpoint } from './runner-types.ts';

export interface SessionOptions {
  readonly host: string;
  readonly endpoint: TargetEndpoint;
  readonly timeoutMs: number;
  readonly transcript: Transcript;
  readonly signal?: AbortSignal | undefined;
}

/** The outcome of one SASL exchange. */
export interface SaslOutcome {
  /** The server accepted (IMAP OK, SMTP 235). */
  readonly accepted: boolean;
  /** The challenges the server sent before its final answer (base64 text). */
  readonly challenges: readonly string[];
  /** The final line. */
  readonly final: string;
}

const wireOptions = (o: SessionOptions) => ({
  host: o.host,
  port: o.endpoint.port,
  timeoutMs: o.timeoutMs,
  transcript: o.transcript,
  signal: o.signal,
});

const capsOf = (line: string): Set<string> =>
  new Set(
    line
      .replace(/^\*\s+(?:OK\s+\[)?CAPABILITY\s+/i, '')
      .replace(/\].*$/, '')
      .split(/\s+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase()),
  );

export class ImapSession {
  readonly wire: Wire;
  /** Capabilities before TLS (STARTTLS endpoints only). */
  preTlsCaps: ReadonlySet<string> | undefined;
  caps: ReadonlySet<string> = new Set();
  #tag = 0;

  private constructor(wire: Wire) {
    this.wire = wire;
  }

  nextTag(): string {
    return `p${++this.#tag}`;
  }

  /** Connects, reads the greeting, goes to TLS with `tls`, reads the capabilities. */
  static async open(o: SessionOptions, tls: ConnectionOptions): Promise<ImapSession> {
    const base = wireOptions(o);
    if (o.endpoint.tls === 'implicit') {
      const wire = await Wire.open(base, tls);
      const s = new ImapSession(wire);
      await s.#greeting();
      s.caps = await s.capability();
      return s;
    }
    const wire = await Wire.open(base);
    const s = new ImapSession(wire);
    await s.#greeting();
    s.preTlsCaps = await s.capability();
    const tag = s.nextTag();
    wire.send(`${tag} STARTTLS`);
    const done = await s.#tagged(tag);
    if (!/^\S+\s+OK\b/i.test(done)) throw new ProtocolRefusal(`STARTTLS refused: ${done}`);
    await wire.startTls(tls);
    s.caps = await s.capability();
    return s;
  }

  /** Connects without TLS (STARTTLS endpoints) and reads greeting + capabilities. */
  static async openPlain(o: SessionOptions): Promise<ImapSession> {
    const wire = await Wire.open(wireOptions(o));
    const s = new ImapSession(wire);
    await s.#greeting();
    s.caps = await s.capability();
    return s;
  }

  async #greeting(): Promise<void> {
    const line = await this.wire.readLine();
    if (!/^\*\s+(OK|PREAUTH)\b/i.test(line)) throw new ProtocolRefusal(`unexpected IMAP greeting: ${line}`);
  }

  async capability(): Promise<Set<string>> {
    const tag = this.nextTag();
    this.wire.send(`${tag} CAPABILITY`);
    const lines = await this.wire.readUntil((l) => l.startsWith(`${tag} `));
    const capLine = lines.find((l) => /^\*\s+CAPABILITY\s/i.test(l));
    return capLine ? capsOf(capLine) : new Set();
  }

  async #tagged(tag: string): Promise<string> {
    const lines = await this.wire.readUntil((l) => l.startsWith(`${tag} `));
    return lines.at(-1) ?? '';
  }

  /** A command; the tagged answer line. */
  async command(text: string): Promise<{ final: string; lines: string[] }> {
    const tag = this.nextTag();
    this.wire.send(`${tag} ${text}`);
    const lines = await this.wire.readUntil((l) => l.startsWith(`${tag} `));
    return { final: lines.at(-1) ?? '', lines };
  }

  /** AUTHENTICATE `mechanism` with an initial response (SASL-IR); challenges answered with an empty line. */
  async authenticate(mechanism: string, initial: string): Promise<SaslOutcome> {
    const tag = this.nextTag();
    this.wire.send(`${tag} AUTHENTICATE ${mechanism} ${initial}`);
    const challenges: string[] = [];
    for (;;) {
      const line = await this.wire.readLine();
      if (line.startsWith('+')) {
        challenges.push(line.slice(1).trim());
        if (challenges.length > 3) throw new ProtocolRefusal('more than 3 SASL challenges');
        this.wire.send('');
        continue;
      }
      if (line.startsWith(`${tag} `)) return { accepted: /^\S+\s+OK\b/i.test(line), challenges, final: line };
    }
  }

  async logout(): Promise<void> {
    try {
      await this.command('LOGOUT');
    } catch {
      // the server may close first
    }
    this.wire.close();
  }
}

/** SMTP command line limit, CRLF included (RFC 5321 §4.5.3.1.4). */
const SMTP_COMMAND_LINE = 512;

export class SmtpSession {
  readonly wire: Wire;
  readonly preTlsEhlo: readonly string[] | undefined;
  ehlo: readonly string[] = [];

  private constructor(wire: Wire, preTlsEhlo: readonly string[] | undefined) {
    this.wire = wire;
    this.preTlsEhlo = preTlsEhlo;
  }

  static async open(o: SessionOptions, tls: ConnectionOptions): Promise<SmtpSession> {
    const base = wireOptions(o);
    if (o.endpoint.tls === 'implicit') {
      const wire = await Wire.open(base, tls);
      const s = new SmtpSession(wire, undefined);
      await s.#greeting();
      s.ehlo = await s.#ehlo();
      return s;
    }
    const wire = await Wire.open(base);
    const pre = new SmtpSession(wire, undefined);
    await pre.#greeting();
    const preEhlo = await pre.#ehlo();
    const s = new SmtpSession(wire, preEhlo);
    const r = await s.command('STARTTLS');
    if (!r.final.startsWith('220')) throw new ProtocolRefusal(`STARTTLS refused: ${r.final}`);
    await wire.startTls(tls);
    s.ehlo = await s.#ehlo();
    return s;
  }

  static async openPlain(o: SessionOptions): Promise<SmtpSession> {
    const wire = await Wire.open(wireOptions(o));
    const s = new SmtpSession(wire, undefined);
    await s.#greeting();
    s.ehlo = await s.#ehlo();
    return s;
  }

  async #greeting(): Promise<void> {
    const lines = await this.#reply();
    const last = lines.at(-1) ?? '';
    if (!last.startsWith('220')) throw new ProtocolRefusal(`unexpected SMTP greeting: ${last}`);
  }

  async #reply(): Promise<string[]> {
    return this.wire.readUntil((l) => /^\d{3}(?: |$)/.test(l));
  }

  async #ehlo(): Promise<string[]> {
    const r = await this.command('EHLO conformance.passerelle.invalid');
    if (!r.final.startsWith('250')) throw new ProtocolRefusal(`EHLO refused: ${r.final}`);
    return r.lines.map((l) => l.slice(4).trim());
  }

  /** The AUTH mechanisms of an EHLO answer, upper case. */
  static mechanisms(ehlo: readonly string[] | undefined): Set<string> {
    const line = (ehlo ?? []).find((l) => /^AUTH[ =]/i.test(l));
    return new Set(line ? line.slice(5).trim().toUpperCase().split(/\s+/).filter(Boolean) : []);
  }

  async command(text: string): Promise<{ final: string; lines: string[] }> {
    this.wire.send(text);
    const lines = await this.#reply();
    return { final: lines.at(-1) ?? '', lines };
  }

  /**
   * RFC 4954 §4: the AUTH command line stays within SMTP's 512 octets (RFC 5321 §4.5.3.1.4); a
   * longer initial response (a PSC JWT) goes after the server's empty 334 instead.
   */
  async authenticate(mechanism: string, initial: string): Promise<SaslOutcome> {
    const inline = `AUTH ${mechanism} ${initial}`;
    let pending: string | undefined;
    if (inline.length + 2 <= SMTP_COMMAND_LINE) this.wire.send(inline);
    else {
      this.wire.send(`AUTH ${mechanism}`);
      pending = initial;
    }
    const challenges: string[] = [];
    for (;;) {
      const lines = await this.#reply();
      const final = lines.at(-1) ?? '';
      if (pending !== undefined && /^334(?: |$)/.test(final)) {
        this.wire.send(pending);
        pending = undefined;
        continue;
      }
      if (final.startsWith('334')) {
        challenges.push(final.slice(4).trim());
        if (challenges.length > 3) throw new ProtocolRefusal('more than 3 SASL challenges');
        this.wire.send('');
        continue;
      }
      return { accepted: final.startsWith('235'), challenges, final };
    }
  }

  async quit(): Promise<void> {
    try {
      await this.command('QUIT');
    } catch {
      // the server may close first
    }
    this.wire.close();
  }
}

/** The server answered, but not as the protocol requires for the step to go on. */
export class ProtocolRefusal extends Error {}
