import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import { buildConnector } from 'undici';
import { _CLOSED_AFTER_HANDSHAKE, _connectErrors } from './_map-error.ts';

const SETTLE_FLOOR_MS = 100;
const SETTLE_CEILING_MS = 2000;

/**
 * An undici connector that marks its failures as "before the request was sent" and, for
 * TLS 1.3, lets the handshake settle before handing the socket over.
 *
 * Why: in TLS 1.3 the client finishes its handshake before the server has checked the client
 * certificate. A server that refuses it (or wanted one) answers with an alert, or simply hangs
 * up, *after* the client thinks it is connected; undici would then report an opaque "other side
 * closed" on the request. We wait for the server's first post-handshake message (its session
 * ticket), an alert, a hang-up, or a short grace period (twice the handshake time, 100 ms–2 s),
 * so a refused client certificate is reported as a TLS failure, before anything is sent.
 */
export function _createConnector(options: buildConnector.BuildOptions): buildConnector.connector {
  const base = buildConnector(options);
  return (opts, callback) => {
    const started = performance.now();
    const fail = (error: Error) => {
      _connectErrors.add(error);
      callback(error, null);
    };
    base(opts, (...args) => {
      const [error, socket] = args;
      if (error !== null) return fail(error);
      const tls = socket as TLSSocket;
      if (typeof tls.getProtocol !== 'function' || tls.getProtocol() !== 'TLSv1.3')
        return callback(null, socket as Socket);
      const graceMs = Math.min(
        SETTLE_CEILING_MS,
        Math.max(SETTLE_FLOOR_MS, 2 * (performance.now() - started)),
      );
      _settle(tls, graceMs, (settleError) => {
        if (settleError === undefined) callback(null, tls);
        else {
          tls.destroy();
          fail(settleError);
        }
      });
    });
  };
}

function _settle(socket: TLSSocket, graceMs: number, done: (error?: Error) => void): void {
  let finished = false;
  const finish = (error?: Error) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.off('session', onSession);
    socket.off('error', onError);
    socket.off('end', onClosed);
    socket.off('close', onClosed);
    socket.pause();
    done(error);
  };
  // Deferred: the event fires inside OpenSSL's read of the ticket, and a request written
  // from there would stall.
  const onSession = () => setImmediate(() => finish());
  const onError = (error: Error) => finish(error);
  const onClosed = () =>
    finish(
      Object.assign(new Error('The server closed the connection right after the TLS handshake'), {
        code: _CLOSED_AFTER_HANDSHAKE,
      }),
    );
  const timer = setTimeout(() => finish(), graceMs);
  socket.on('session', onSession);
  socket.on('error', onError);
  socket.on('end', onClosed);
  socket.on('close', onClosed);
  // Nothing is expected from an HTTP server before the request; reading lets the TLS layer
  // process the ticket or the alert. Paused again before undici takes the socket.
  socket.resume();
}
