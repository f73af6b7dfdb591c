import type { Socket } from 'node:net';
import { literalMarker, type Segment } from './_tokens.ts';

export interface ReaderHooks {
  /** Runs one complete command; the next is read once it settles. */
  command(segments: Segment[]): Promise<void>;
  /** The largest literal the command starting with `firstLine` may carry. */
  literalCap(firstLine: string): number;
  /** A synchronizing literal over the cap: answer the tag, nothing was read. */
  literalTooBig(tag: string, size: number): void;
  /** A non-synchronizing literal over the cap (its bytes are on their way): close. */
  literalTooBigNonSync(size: number): void;
  lineTooLong(): void;
  /** Called for each complete line (activity, for the idle timer). */
  activity(): void;
}

/**
 * Reads IMAP commands off a socket: lines bounded by `maxLineBytes`, literals bounded per command,
 * pipelined commands run one at a time, and raw lines handed to a waiter (AUTHENTICATE
 * continuations, IDLE's DONE). Holds no buffer beyond the bytes not yet consumed.
 */
export class CommandReader {
  #socket: Socket;
  #buf: Buffer = Buffer.alloc(0);
  #segments: Segment[] = [];
  #textBytes = 0;
  #literalBytes = 0;
  #literal: { line: string; needed: number; chunks: Buffer[] } | undefined;
  #waiter: ((line: string) => void) | undefined;
  #busy = false;
  #stopped = false;
  readonly #onData = (chunk: Buffer) => {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    this.#pump();
  };

  constructor(
    socket: Socket,
    private readonly maxLineBytes: number,
    private readonly hooks: ReaderHooks,
  ) {
    this.#socket = socket;
    socket.on('data', this.#onData);
  }

  /** Switches to the TLS socket after STARTTLS; bytes pipelined in clear text are dropped. */
  upgrade(socket: Socket): void {
    this.#socket.off('data', this.#onData);
    this.#buf = Buffer.alloc(0);
    this.#socket = socket;
    socket.on('data', this.#onData);
  }

  /** The next raw line goes to `waiter` instead of the command parser. */
  nextLine(): Promise<string> {
    return new Promise((resolve) => {
      this.#waiter = resolve;
      queueMicrotask(() => this.#pump());
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#buf = Buffer.alloc(0);
    this.#segments = [];
    this.#literal = undefined;
  }

  #pump(): void {
    while (!this.#stopped) {
      if (this.#literal) {
        if (!this.#takeLiteral()) break;
        continue;
      }
      if (this.#busy && !this.#waiter) break;
      const nl = this.#buf.indexOf(0x0a);
      const lineBytes = nl < 0 ? this.#buf.length : nl;
      if (this.#textBytes + lineBytes > this.maxLineBytes) {
        this.stop();
        this.hooks.lineTooLong();
        return;
      }
      if (nl < 0) break;
      let line = this.#buf.toString('utf8', 0, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.#buf = this.#buf.subarray(nl + 1);
      this.hooks.activity();
      const waiter = this.#waiter;
      if (waiter) {
        this.#waiter = undefined;
        waiter(line);
        continue;
      }
      this.#line(line, nl);
    }
    // a client that keeps pipelining while a command runs is held back
    if (this.#busy && this.#buf.length > this.maxLineBytes) this.#socket.pause();
    else if (this.#socket.isPaused()) this.#socket.resume();
  }

  #line(line: string, bytes: number): void {
    const marker = literalMarker(line);
    if (!marker) {
      const segments = [...this.#segments, { text: line }];
      this.#reset();
      this.#busy = true;
      void this.hooks.command(segments).finally(() => {
        this.#busy = false;
        this.#pump();
      });
      return;
    }
    const first = this.#segments[0]?.text ?? line;
    const cap = this.hooks.literalCap(first) - this.#literalBytes;
    if (marker.size > cap) {
      this.#reset();
      if (marker.sync) this.hooks.literalTooBig(first.split(' ', 1)[0] ?? '*', marker.size);
      else {
        this.stop();
        this.hooks.literalTooBigNonSync(marker.size);
      }
      return;
    }
    this.#textBytes += bytes;
    this.#literalBytes += marker.size;
    this.#literal = { line, needed: marker.size, chunks: [] };
    if (marker.sync) this.#socket.write('+ Ready for literal data\r\n');
  }

  /** Moves literal bytes out of the buffer; true once the literal is complete. */
  #takeLiteral(): boolean {
    const lit = this.#literal;
    if (!lit) return true;
    if (lit.needed > 0 && this.#buf.length === 0) return false;
    const n = Math.min(lit.needed, this.#buf.length);
    if (n > 0) {
      lit.chunks.push(this.#buf.subarray(0, n));
      this.#buf = this.#buf.subarray(n);
      this.hooks.activity();
    }
    lit.needed -= n;
    if (lit.needed > 0) return false;
    this.#segments.push({ text: lit.line, literal: Buffer.concat(lit.chunks) });
    this.#literal = undefined;
    return true;
  }

  #reset(): void {
    this.#segments = [];
    this.#textBytes = 0;
    this.#literalBytes = 0;
  }
}
