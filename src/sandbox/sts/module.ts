import { createServer } from 'node:https';
import { isPasserelleError } from '../../errors.ts';
import { MemoryReplayCache } from '../../wss/replay-cache.ts';
import { VerificationReport } from '../../wss/report.ts';
import { _guardConnections, _serverTimeouts } from '../_client-error.ts';
import { closeServer, listenRole } from '../_listen.ts';
import { _drainOf, _readRequestBody } from '../_request-body.ts';
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

/** Handshake and headers, body pauses, and Node's whole-request backstop of the STS listener. */
const TIMEOUTS = { headersTimeoutMs: 10_000, bodyIdleTimeoutMs: 5_000, requestBackstopMs: 40_000 };

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
          ..._serverTimeouts(TIMEOUTS),
        },
        (req, res) => {
          ctx.journal?.observe('sts', req, res);
          const path = (req.url ?? '').split('?')[0];
          if (path !== STS_PATH || req.method !== 'POST') {
            res
              .writeHead(path === STS_PATH ? 405 : 404, { 'content-type': 'text/plain' })
              .end(path === STS_PATH ? 'POST only' : 'not found');
            return;
          }
          _readRequestBody(req, {
            maxBytes: maxRequestBytes,
            idleMs: TIMEOUTS.bodyIdleTimeoutMs,
            totalMs: 30_000,
            drainBytes: 1024 * 1024,
          }).then(
            (body) => {
              const report = ctx.journal === undefined ? undefined : new VerificationReport();
              const reply = handleStsRequest(deps, body, report);
              ctx.journal?.note(req, {
                ...(report === undefined ? {} : { verification: report }),
                ...(reply.reason === undefined ? {} : { reason: reply.reason }),
              });
              res.writeHead(reply.status, { 'content-type': 'text/xml; charset=utf-8' }).end(reply.body);
            },
            (error: unknown) => {
              if (isPasserelleError(error, 'ERR_SANDBOX_REQUEST_ABORTED')) return;
              ctx.log.warn(
                { reason: isPasserelleError(error) ? error.code : 'internal' },
                'STS request refused',
              );
              const tooLarge = isPasserelleError(error, 'ERR_SANDBOX_REQUEST_TOO_LARGE');
              ctx.journal?.note(req, { reason: isPasserelleError(error) ? error.code : 'internal' });
              // Answered at once, ended once the refused body is drained, so the client reads it.
              res.writeHead(tooLarge ? 413 : 408, { 'content-type': 'text/plain', connection: 'close' });
              res.write(tooLarge ? 'too large' : 'request timeout');
              void (_drainOf(req) ?? Promise.resolve()).then(() => res.end());
            },
          );
        },
      );
      _guardConnections(server, TIMEOUTS, ctx.log, () => undefined);
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
