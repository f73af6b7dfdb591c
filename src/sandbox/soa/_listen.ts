import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { listenRole } from '../_listen.ts';
import type { SandboxModuleContext } from '../module.ts';
import type { _SoaStats } from './_stats.ts';

/**
 * An HTTPS listener with mutual TLS required: the client certificate must chain to the
 * sandbox's development CA (requestCert + rejectUnauthorized), TLS ≥ 1.2. Refused handshakes are
 * logged with their reason and counted as `rejected.tls`.
 */
export async function _listenMutualTls(
  ctx: SandboxModuleContext,
  role: string,
  stats: _SoaStats,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; port: number }> {
  const server = createServer(
    {
      key: ctx.pki.server.keyPem,
      cert: ctx.pki.server.certPem,
      ca: ctx.pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      requestTimeout: 30_000,
      headersTimeout: 10_000,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        ctx.log.error({ role, error }, 'soa request failed');
        res.destroy();
      });
    },
  );
  const port = await listenRole(ctx, server, role, (error) => {
    stats.rejected('tls');
    ctx.log.warn({ role, reason: error.code ?? error.message.slice(0, 200) }, 'TLS handshake refused');
  });
  return { server, port };
}
