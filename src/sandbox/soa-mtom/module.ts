import { createServer } from 'node:https';
import { buildFault } from '../../soap/build-fault.ts';
import { MemoryReplayCache } from '../../wss/replay-cache.ts';
import { _checkTimeouts, _guardConnections, _rawSoaFault, _serverTimeouts } from '../_client-error.ts';
import { closeServer, listenRole } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import { _handleMtomRequest, type _MtomServiceState } from './_handle.ts';

export interface SoaMtomModuleOptions {
  /** Largest MTOM request package accepted, bytes. Default 17 GiB. */
  readonly maxPackageBytes?: number;
  /** Longest pause between two body chunks, ms; default 10000 (then HTTP 408 with SOA-03001). */
  readonly bodyIdleTimeoutMs?: number;
  /**
   * The slowest upload the total bound allows, bytes per second; default 1 MiB/s. A request may
   * take `bodyIdleTimeoutMs` + its declared size (the package limit when chunked) at this rate:
   * 1 GiB declared, about 17 minutes.
   */
  readonly minBytesPerSecond?: number;
  /** Longest time for the TLS handshake and the request headers, ms; default 10000. */
  readonly headersTimeoutMs?: number;
}

/**
 * The platform's port 4522 (SOAP with MTOM) role: HTTPS with mutual TLS (client certificates
 * issued by the development CA), serving the MTOM test operations — an upload whose attachments
 * are verified through the WS-Security signature (XOP-expanded Body digest, trust = the dev CA)
 * and answered with each attachment's size and SHA-256, and a download returning generated
 * content of a requested size, signed with the platform signing key. Published as `cbss.mtom`.
 */
export function soaMtomModule(options: SoaMtomModuleOptions = {}): SandboxModule {
  const {
    maxPackageBytes = 17 * 1024 * 1024 * 1024,
    bodyIdleTimeoutMs = 10_000,
    minBytesPerSecond = 1024 * 1024,
    headersTimeoutMs = 10_000,
  } = options;
  _checkTimeouts('soaMtomModule', { bodyIdleTimeoutMs, headersTimeoutMs, minBytesPerSecond });
  const timeouts = { headersTimeoutMs, bodyIdleTimeoutMs };
  return {
    name: 'soa-mtom',
    ports: { mtom: 22 },
    async start(ctx): Promise<StartedSandboxModule> {
      const state: _MtomServiceState = {
        trust: [ctx.pki.ca.certificate],
        signer: { credential: ctx.pki.platformSigning, clock: ctx.clock },
        replayCache: new MemoryReplayCache({ maxEntries: 10_000 }),
        log: ctx.log,
        maxPackageBytes,
        bodyIdleTimeoutMs,
        minBytesPerSecond,
        counters: { uploads: 0, downloads: 0, bytesIn: 0, bytesOut: 0, rejected: 0 },
        journal: ctx.journal,
      };
      const server = createServer(
        {
          key: ctx.pki.server.keyPem,
          cert: ctx.pki.server.certPem,
          ca: ctx.pki.ca.certificate.toString(),
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
          ..._serverTimeouts(timeouts),
        },
        (req, res) => {
          ctx.journal?.observe('soa-mtom', req, res);
          _handleMtomRequest(state, req, res).catch((error: unknown) => {
            ctx.log.error({ reason: String((error as Error)?.message ?? error) }, 'mtom handler failed');
            res.destroy();
          });
        },
      );
      // Large uploads: no fixed request timeout, but a body-idle timeout and a total bound that
      // scales with the declared size (see _handle.ts); handshake and headers are bounded too.
      _guardConnections(server, timeouts, ctx.log, (reason) => {
        state.counters.rejected += 1;
        return _rawSoaFault(
          reason,
          buildFault({ faultcode: 'Client', soa: { code: 'SOA-03001', environment: 'Sandbox' } }),
        );
      });
      const port = await listenRole(ctx, server, 'mtom', (error) =>
        ctx.log.debug({ reason: error.message }, 'mtom TLS handshake failed'),
      );
      const url = listenerUrl('https', ctx.host, port, '');
      ctx.log.info({ url }, 'soa-mtom listening');
      return {
        endpoints: { 'cbss.mtom': url },
        stats: () => ({ ...state.counters }),
        close: () => closeServer(server),
      };
    },
  };
}
