import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import type { SandboxModuleContext } from '../module.ts';
import type { EboxCrashMode } from './_faults.ts';
import type { _EboxStats } from './_stats.ts';

const _key = (s: { remoteAddress?: string | undefined; remotePort?: number | undefined }) =>
  `${s.remoteAddress ?? ''}|${s.remotePort ?? ''}`;

/** Sends a TCP RST (the peer sees ECONNRESET) where the platform allows it, else closes. */
function _rst(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) {
    try {
      socket.resetAndDestroy();
      return;
    } catch {
      // Not a TCP handle: closed below.
    }
  }
  socket.destroy();
}

/**
 * The crash switch of the ebox listeners, and connection resets. Tracks the TCP sockets of each
 * listener (so a reset is a real RST on the connection, under TLS). Crash `refuse` drops every
 * connection and closes the listening ports (new connections: ECONNREFUSED); `reset` drops every
 * connection and resets each new one before its TLS handshake (ECONNRESET); `off` listens again
 * on the same ports.
 */
export class _EboxCrash {
  readonly #ctx: SandboxModuleContext;
  readonly #stats: _EboxStats;
  readonly #listeners: { server: Server; port: number }[] = [];
  readonly #sockets = new Map<string, Socket>();
  #mode: EboxCrashMode = 'off';
  #closed = false;
  /** Switches run one after the other (a port closing must finish before it listens again). */
  #queue: Promise<void> = Promise.resolve();

  constructor(ctx: SandboxModuleContext, stats: _EboxStats) {
    this.#ctx = ctx;
    this.#stats = stats;
  }

  get mode(): EboxCrashMode {
    return this.#mode;
  }

  /** Tracks the connections of a listener (call before it accepts any). */
  track(server: Server): void {
    server.prependListener('connection', (socket: Socket) => {
      if (this.#mode !== 'off') {
        this.#stats.bump('injected.crashReset');
        _rst(socket);
        return;
      }
      const key = _key(socket);
      this.#sockets.set(key, socket);
      socket.once('close', () => {
        if (this.#sockets.get(key) === socket) this.#sockets.delete(key);
      });
    });
  }

  /** A started listener whose port `off` listens on again after `refuse`. */
  add(server: Server, port: number): void {
    this.#listeners.push({ server, port });
  }

  /** Resets the connection of `req` (RST on its TCP socket). */
  reset(req: IncomingMessage): void {
    const raw = this.#sockets.get(_key(req.socket));
    if (raw !== undefined) _rst(raw);
    else req.socket.destroy();
  }

  #dropAll(): void {
    const sockets = [...this.#sockets.values()];
    this.#sockets.clear();
    if (sockets.length > 0) this.#stats.bump('injected.crashDropped', sockets.length);
    for (const s of sockets) _rst(s);
  }

  /** Switches the crash mode; resolves once the ports are closed (`refuse`) or listening again (`off`). */
  set(mode: EboxCrashMode): Promise<void> {
    const next = this.#queue.then(() => this.#switch(mode));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #switch(mode: EboxCrashMode): Promise<void> {
    if (this.#closed) return;
    const was = this.#mode;
    this.#mode = mode;
    if (mode !== 'off') this.#dropAll();
    if (mode === 'refuse' && was !== 'refuse')
      await Promise.all(
        this.#listeners.map(
          ({ server }) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              this.#dropAll();
            }),
        ),
      );
    if (mode !== 'refuse' && was === 'refuse')
      await Promise.all(
        this.#listeners.map(
          ({ server, port }) =>
            new Promise<void>((resolve, reject) => {
              server.once('error', reject);
              server.listen(port, this.#ctx.host, () => {
                server.off('error', reject);
                resolve();
              });
            }),
        ),
      );
    if (mode !== was) {
      if (mode !== 'off') this.#stats.bump(`injected.crash.${mode}`);
      this.#ctx.log.warn({ crash: mode }, mode === 'off' ? 'ebox back up' : 'ebox crashed (fault injection)');
    }
  }

  /** At module close: no more switching. */
  close(): void {
    this.#closed = true;
  }
}
