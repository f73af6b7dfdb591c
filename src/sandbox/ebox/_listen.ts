import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import {
  _guardConnections,
  _serverTimeouts,
  type ListenerTimeouts,
  type RawResponse,
} from '../_client-error.ts';
import { listenRole } from '../_listen.ts';
import type { SandboxModuleContext } from '../module.ts';
import type { _EboxCrash } from './_crash.ts';
import type { _EboxStats } from './_stats.ts';

/**
 * An HTTPS listener of the ebox module on role `role`: TLS ≥ 1.2 with the sandbox server
 * certificate, mutual TLS (client certificate from the dev CA) when `mutualTls`, Node's header
 * size bound `maxHeaderBytes`, handshake and headers bounded; what the HTTP parser refuses is
 * answered `answer(reason)` (counted `rejected.<reason>`); each request is journaled as
 * `journalName` before `handle` runs; with `crash`, its connections are tracked by the crash switch.
 */
export async function _listenEbox(
  ctx: SandboxModuleContext,
  options: {
    readonly role: string;
    readonly journalName: string;
    readonly mutualTls: boolean;
    readonly maxHeaderBytes: number;
    readonly timeouts: ListenerTimeouts;
    readonly stats: _EboxStats;
    readonly answer: (reason: string) => RawResponse;
    /** The crash switch that tracks this listener's connections (fault injection). */
    readonly crash?: _EboxCrash;
  },
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; port: number }> {
  const { role, journalName, stats } = options;
  const server = createServer(
    {
      key: ctx.pki.server.keyPem,
      cert: ctx.pki.server.certPem,
      minVersion: 'TLSv1.2',
      maxHeaderSize: options.maxHeaderBytes,
      ..._serverTimeouts(options.timeouts),
      ...(options.mutualTls ? { ca: ctx.pki.ca.certPem, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => {
      ctx.journal?.observe(journalName, req, res);
      handle(req, res).catch((error: unknown) => {
        ctx.log.error(
          { role, reason: String((error as Error)?.message ?? error).slice(0, 200) },
          'ebox request failed',
        );
        res.destroy();
      });
    },
  );
  options.crash?.track(server);
  _guardConnections(server, options.timeouts, ctx.log, options.answer, (reason) =>
    stats.bump(`rejected.${reason}`),
  );
  const port = await listenRole(ctx, server, role, (error) => {
    stats.bump('rejected.tls');
    ctx.log.warn({ role, reason: error.code ?? error.message.slice(0, 200) }, 'TLS handshake refused');
  });
  options.crash?.add(server, port);
  return { server, port };
}
