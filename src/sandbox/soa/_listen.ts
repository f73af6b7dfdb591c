import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
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
  server.on('tlsClientError', (error: Error & { code?: string }) => {
    stats.rejected('tls');
    ctx.log.warn({ role, reason: error.code ?? error.message.slice(0, 200) }, 'TLS handshake refused');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ctx.port(role), ctx.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export function _close(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
