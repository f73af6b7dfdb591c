import { createServer } from 'node:https';
import { closeServer, listenRole } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { handleConsoleRequest } from './_api.ts';

/**
 * The sandbox web console: HTTPS with the sandbox server certificate, a versioned read-only
 * JSON API (`/api/v1/status`, `/api/v1/log`, and each module's own API under `/api/v1/<module>/`)
 * and a small HTML page at `/`. It shows module
 * names, endpoints, counters and the (secret-free) sandbox log, which holds the precise
 * rejection reasons that callers only see as generic faults.
 */
export function consoleModule(): SandboxModule {
  return {
    name: 'console',
    ports: { https: 0 },
    async start(ctx): Promise<StartedSandboxModule> {
      const { sandbox: view } = ctx;
      if (!view) throw new TypeError('the console module needs the sandbox view of the host');
      let requests = 0;
      const server = createServer(
        { key: ctx.pki.server.keyPem, cert: ctx.pki.server.certPem, minVersion: 'TLSv1.2' },
        (req, res) => {
          requests++;
          const failed = (error: unknown) => {
            ctx.log.error({ path: req.url, error }, 'console request failed');
            if (res.headersSent) {
              res.destroy();
              return;
            }
            res.writeHead(500, { 'content-type': 'application/problem+json' });
            res.end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }));
          };
          try {
            const pending = handleConsoleRequest(view, req, res);
            if (pending !== undefined) pending.catch(failed);
          } catch (error) {
            failed(error);
          }
        },
      );
      const port = await listenRole(ctx, server, 'https', (error) =>
        ctx.log.debug({ reason: error.message }, 'console TLS handshake failed'),
      );
      const url = listenerUrl('https', ctx.host, port, '/');
      ctx.log.info({ url }, 'console listening');
      return {
        endpoints: { console: url },
        info: { api: `${url}api/v1/` },
        stats: () => ({ requests }),
        close: () => closeServer(server),
      };
    },
  };
}
