import { MemoryReplayCache } from '../../wss/replay-cache.ts';
import { _checkTimeouts } from '../_client-error.ts';
import { closeServer } from '../_listen.ts';
import { listenerUrl } from '../_url.ts';
import type { SandboxContracts } from '../contracts/index.ts';
import type { SandboxModule, StartedSandboxModule } from '../module.ts';
import type { BrokeredVerifier } from './_brokered.ts';
import { _contractOperations } from './_contract-operations.ts';
import { _sendFault } from './_fault.ts';
import { _handleSoap } from './_handle.ts';
import { _hokVerifier } from './_hok.ts';
import { _listenMutualTls } from './_listen.ts';
import { _operations } from './_operations.ts';
import { _SoaStats } from './_stats.ts';

export type { BrokeredConsumer, BrokeredVerifier } from './_brokered.ts';

export interface SoaModuleOptions {
  /**
   * Verifies checkBrokeredAccessControl calls. Default: SAML 1.1 holder-of-key with
   * `verifyHokEnvelope`, trusting the sandbox STS key only. `false`: every brokered call is
   * answered SOA-01001 (reason ERR_SAML_INVALID in the sandbox log).
   */
  readonly brokered?: BrokeredVerifier | false;
  /** Largest accepted request body, bytes; default 1 MiB (larger: HTTP 413 with SOA-03001). */
  readonly maxRequestBytes?: number;
  /**
   * Bytes of a too-large body still read and dropped after the 413 fault, so that clients that
   * write their whole request before reading get it; default 16 MiB. Past it the socket closes.
   */
  readonly drainBytes?: number;
  /** Longest pause between two body chunks, ms; default 5000 (then HTTP 408 with SOA-03001). */
  readonly bodyIdleTimeoutMs?: number;
  /** Longest time for a whole request body, ms; default 30000 (then HTTP 408 with SOA-03001). */
  readonly requestTimeoutMs?: number;
  /** Longest time for the TLS handshake and the request headers, ms; default 10000. */
  readonly headersTimeoutMs?: number;
  /**
   * WSDL contracts served on the `soap` role besides the test services, each on its service
   * path, with the security its WS-Policy asks for, requests validated against its schemas and
   * scenario or generated replies (see loadSandboxContracts).
   */
  readonly contracts?: SandboxContracts;
}

/**
 * Sandbox module `soa`: the SOA gateway of the platforms with mutual TLS required.
 *
 * Role `soap` (offset 20, the platform's port 4520) publishes `cbss.soap` and `ehealth.soa` and
 * serves TestConnectionService `sendTestMessage` (X.509-signed: the real service sits behind the
 * same gateway and message-level authentication) and PlatformIntegrationConsumerTest:
 * `checkConnection` (TLS only), `checkAccessControl` (X.509 token profile, verified strictly
 * against the dev CA with a replay cache; Body, Timestamp and BST must be signed) and
 * `checkBrokeredAccessControl` (SAML 1.1 holder-of-key: assertion from the sandbox STS, Timestamp
 * and Body signed with the holder's key; replaceable through the `brokered` option). Replies to
 * signed calls are signed with the sandbox platform signing key.
 *
 * Role `ssdn` (offset 30, port 4530) publishes `cbss.ssdn` and answers every request with
 * SOA-02001 (service not available, do not retry): the historic SSDN services are not simulated.
 */
export function soaModule(options: SoaModuleOptions = {}): SandboxModule {
  const {
    maxRequestBytes = 1024 * 1024,
    drainBytes = 16 * 1024 * 1024,
    bodyIdleTimeoutMs = 5_000,
    requestTimeoutMs = 30_000,
    headersTimeoutMs = 10_000,
  } = options;
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 1024) {
    throw new TypeError('soaModule: maxRequestBytes must be an integer of at least 1024');
  }
  if (!Number.isSafeInteger(drainBytes) || drainBytes < 0) {
    throw new TypeError('soaModule: drainBytes must be a non-negative integer');
  }
  _checkTimeouts('soaModule', { bodyIdleTimeoutMs, requestTimeoutMs, headersTimeoutMs });
  const timeouts = {
    headersTimeoutMs,
    bodyIdleTimeoutMs,
    requestBackstopMs: requestTimeoutMs + bodyIdleTimeoutMs,
  };
  const body = {
    maxBytes: maxRequestBytes,
    idleMs: bodyIdleTimeoutMs,
    totalMs: requestTimeoutMs,
    drainBytes,
  };
  return {
    name: 'soa',
    ports: { soap: 20, ssdn: 30 },
    async start(ctx): Promise<StartedSandboxModule> {
      const stats = new _SoaStats();
      const replayCache = new MemoryReplayCache();
      const brokered =
        options.brokered === false ? undefined : (options.brokered ?? _hokVerifier(replayCache));
      const closing = new AbortController();
      const operations = [..._operations(), ..._contractOperations(options.contracts)];
      const deps = { ctx, operations, stats, replayCache, brokered, body, signal: closing.signal };
      const soap = await _listenMutualTls(ctx, 'soap', stats, timeouts, (req, res) =>
        _handleSoap(req, res, deps),
      );
      let ssdn: Awaited<ReturnType<typeof _listenMutualTls>>;
      try {
        ssdn = await _listenMutualTls(ctx, 'ssdn', stats, timeouts, async (req, res) => {
          const faultId = _sendFault(res, 'SOA-02001', 500);
          stats.fault('SOA-02001');
          stats.rejected('ssdn-not-simulated');
          ctx.journal?.note(req, { fault: 'SOA-02001', reason: 'ssdn-not-simulated' });
          ctx.log.info({ path: req.url?.slice(0, 200), faultId }, 'SSDN is not simulated: SOA-02001');
        });
      } catch (error) {
        await closeServer(soap.server);
        throw error;
      }
      const soapUrl = listenerUrl('https', ctx.host, soap.port);
      const ssdnUrl = listenerUrl('https', ctx.host, ssdn.port);
      ctx.log.info(
        { soap: soapUrl, ssdn: ssdnUrl, brokered: brokered !== undefined },
        'soa gateway listening',
      );
      return {
        endpoints: { 'cbss.soap': soapUrl, 'ehealth.soa': soapUrl, 'cbss.ssdn': ssdnUrl },
        info: {
          operations: deps.operations.map((o) => ({ name: o.name, path: o.path, security: o.security })),
          mutualTls: 'required (client certificate from the sandbox CA)',
          brokeredAccessControl: brokered === undefined ? 'not available (SOA-01001)' : 'SAML holder-of-key',
          ssdn: 'not simulated (SOA-02001)',
          ...(options.contracts === undefined || options.contracts.soap.length === 0
            ? {}
            : { contracts: options.contracts.describe().filter((d) => d.kind === 'soap') }),
        },
        stats: () => stats.snapshot(),
        close: async () => {
          closing.abort();
          await Promise.all([closeServer(soap.server), closeServer(ssdn.server)]);
        },
      };
    },
  };
}
