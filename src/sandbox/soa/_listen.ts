import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { _guardConnections, _rawSoaFault, _serverTimeouts, type ListenerTimeouts } from '../_client-error.ts';
import { listenRole } from '../_listen.ts';
import type { SandboxModuleContext } from '../module.ts';
import { _faultXml } from './_fault.ts';
import type { _SoaStats } from './_stats.ts';

/**
 * An HTTPS listener with mutual TLS required: the client certificate must chain to the
 * sandbox's development CA (requestCert + rejectUnauthorized), TLS ≥ 1.2. Refused handshakes are
 * logged with their reason and counted as `rejected.tls`. Handshake and headers are bounded by
 * `timeouts.headersTimeoutMs`; a headers timeout or a request Node's parser refuses is answered
 * SOA-03001 (408 or 400) and counted as `rejected.<reason>`.
 */
export async function _listenMutualTls(
  ctx: SandboxModuleContext,
  role: string,
  stats: _SoaStats,
  timeouts: ListenerTimeouts,
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
      ..._serverTimeouts(timeouts),
    },
    (req, res) => {
      ctx.journal?.observe(role === 'soap' ? 'soa' : `soa-${role}`, req, res);
      handle(req, res).catch((error: unknown) => {
        ctx.log.error({ role, error }, 'soa request failed');
        res.destroy();
      });
    },
  );
  _guardConnections(
    server,
    timeouts,
    ctx.log,
    (reason) => {
      stats.fault('SOA-03001');
      return _rawSoaFault(reason, _faultXml('SOA-03001').xml);
    },
    (reason) => stats.rejected(reason),
  );
  const port = await listenRole(ctx, server, role, (error) => {
    stats.rejected('tls');
    ctx.log.warn({ role, reason: error.code ?? error.message.slice(0, 200) }, 'TLS handshake refused');
  });
  return { server, port };
}
