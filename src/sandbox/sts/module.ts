import { createServer } from 'node:https';
import { MemoryReplayCache } from '../../wss/replay-cache.ts';
import { closeServer, listenRole } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { handleStsRequest, type StsHandlerDeps } from './_handle.ts';

export interface StsModuleOptions {
  /** Token lifetime (Conditions NotOnOrAfter − issue time), seconds. Default 3600. */
  readonly lifetimeSeconds?: number;
  /** Answer every Issue request with a WS-Trust SignChallenge first. Default false. */
  readonly signChallenge?: boolean;
  /** Largest accepted request, bytes. Default 256 KiB. */
  readonly maxRequestBytes?: number;
}

/** The path of the eHealth WS-Trust STS (PROTOCOLS.md §1 [confirmed]). */
export const STS_PATH = '/IAM/SecurityTokenService/v1';

/**
 * Sandbox module `sts`: the eHealth WS-Trust STS over HTTPS with mutual TLS (client certificate
 * from the dev CA) at `/IAM/SecurityTokenService/v1`, published as endpoint `ehealth.sts`. It
 * issues SAML 1.1 holder-of-key assertions signed by the sandbox STS key (see handleStsRequest).
 * stats(): requests, tokensIssued, challenges, faults.
 */
export function stsModule(options: StsModuleOptions = {}): SandboxModule {
  const { lifetimeSeconds = 3600, signChallenge = false, maxRequestBytes = 256 * 1024 } = options;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 60 || lifetimeSeconds > 86_400) {
    throw new TypeError('stsModule: lifetimeSeconds must be an integer from 60 to 86400');
  }
  return {
    name: 'sts',
    ports: { https: 50 },
    async start(ctx): Promise<StartedSandboxModule> {
      const deps: StsHandlerDeps = {
        ctx,
        lifetimeSeconds,
        signChallenge,
        replayCache: new MemoryReplayCache(),
        stats: { requests: 0, tokensIssued: 0, challenges: 0, faults: 0 },
        pending: new Map(),
      };
      const server = createServer(
        {
          key: ctx.pki.server.keyPem,
          cert: ctx.pki.server.certPem,
          ca: [ctx.pki.ca.certificate.toString()],
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
        },
        (req, res) => {
          const path = (req.url ?? '').split('?')[0];
          if (path !== STS_PATH || req.method !== 'POST') {
            res
              .writeHead(path === STS_PATH ? 405 : 404, { 'content-type': 'text/plain' })
              .end(path === STS_PATH ? 'POST only' : 'not found');
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          req.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxRequestBytes) {
              res.writeHead(413, { 'content-type': 'text/plain' }).end('too large');
              req.destroy();
            } else chunks.push(c);
          });
          req.on('end', () => {
            if (res.headersSent) return;
            const reply = handleStsRequest(deps, Buffer.concat(chunks));
            res.writeHead(reply.status, { 'content-type': 'text/xml; charset=utf-8' }).end(reply.body);
          });
        },
      );
      const port = await listenRole(ctx, server, 'https', (error) =>
        ctx.log.debug({ reason: error.message }, 'STS TLS handshake failed'),
      );
      const url = listenerUrl('https', ctx.host, port, STS_PATH);
      ctx.log.info({ url, lifetimeSeconds, signChallenge }, 'STS listening');
      return {
        endpoints: { 'ehealth.sts': url },
        info: {
          path: STS_PATH,
          lifetimeSeconds,
          signChallenge,
          issuer: 'urn:be:fgov:ehealth:sts:1_0',
          mutualTls: 'required (client certificate from the sandbox CA)',
        },
        stats: () => ({ ...deps.stats }),
        close: () => closeServer(server),
      };
    },
  };
}
