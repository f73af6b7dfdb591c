import { type Clock, systemClock } from '../clock.ts';
import {
  credentialRef,
  credentialSetting,
  endpointUrl,
  type ResolvedEnvironment,
} from '../config/environment.ts';
import type { EndpointName } from '../config/registry.ts';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { loadServerCa, loadTrust } from '../pki/load-trust.ts';
import type { TrustAnchors } from '../pki/trust.ts';
import { createTransport } from '../transport/create-transport.ts';
import type { TraceRecorder } from '../transport/trace-types.ts';
import type { Transport } from '../transport/types.ts';
import type { WithRetryOptions } from '../transport/with-retry.ts';
import { MemoryReplayCache, type ReplayCache } from '../wss/replay-cache.ts';

/**
 * Whether a reply to a signed call must itself be signed (and verify against
 * `trust.platformSigning`), or is verified only when it carries a Security header. Whether the
 * platforms sign every reply is not documented [inferred]: `required` is the fail-closed default.
 */
export type ReplySignaturePolicy = 'required' | 'optional';

/** Everything one or more service calls share: credentials loaded once, one pooled transport. */
export interface ServiceContext {
  readonly environment: string;
  readonly transport: Transport;
  /** The configured endpoint URL, or ERR_CONFIG_ENDPOINT_MISSING. */
  endpoint(name: EndpointName): string;
  /** The WS-Security signing credential, or ERR_CONFIG_INVALID when none is configured. */
  signingCredential(): Credential;
  /** Pinned certificates and CAs that sign platform replies; both empty when none is configured. */
  readonly replyTrust: TrustAnchors;
  readonly replySignature: ReplySignaturePolicy;
  readonly replayCache: ReplayCache;
  readonly clock: Clock;
  /** Timestamp lifetime of signed requests, seconds (default 300, the maximum). */
  readonly ttlSeconds: number;
  readonly inclusiveNamespaces: boolean;
  readonly retry: WithRetryOptions | undefined;
  readonly logger: Logger | undefined;
  close(): Promise<void>;
}

export interface CreateServiceContextOptions {
  readonly clock?: Clock;
  /** Where `password: { env }` references are read; default process.env. */
  readonly processEnv?: NodeJS.ProcessEnv;
  readonly replySignature?: ReplySignaturePolicy;
  readonly ttlSeconds?: number;
  readonly inclusiveNamespaces?: boolean;
  /** Retry transient failures (re-signing each attempt). Default: one attempt. */
  readonly retry?: WithRetryOptions;
  /** Replaces the transport built from the TLS credential and `trust.ca` (tests, custom pools). */
  readonly transport?: Transport;
  readonly logger?: Logger;
  /**
   * Records every exchange of the transport built here (createTraceRecorder). A `transport`
   * given instead is used as it is: build it with `createTransport({ trace })` to trace it.
   */
  readonly trace?: TraceRecorder | undefined;
}

/**
 * Builds the shared context of the service clients of one environment: loads the TLS and
 * signing credentials once (when configured), the server CA bundle (`trust.ca`) and the reply
 * signing trust (`trust.platformSigning`: pins and CAs, see loadTrust), and opens one mutual-TLS
 * transport. A TLS credential outside its validity period is refused here
 * (ERR_PKI_CREDENTIAL_*); the signing credential is checked each time it signs. Close it when done.
 */
export async function createServiceContext(
  env: ResolvedEnvironment,
  options: CreateServiceContextOptions = {},
): Promise<ServiceContext> {
  const {
    clock = systemClock,
    processEnv = process.env,
    replySignature = 'required',
    ttlSeconds = 300,
    inclusiveNamespaces = true,
    retry,
    logger,
    trace,
  } = options;
  if (replySignature !== 'required' && replySignature !== 'optional') {
    throw new TypeError('createServiceContext: replySignature is "required" or "optional"');
  }
  const load = (role: 'tls' | 'signing') =>
    env.credentials[role] === undefined
      ? Promise.resolve(undefined)
      : loadCredential(credentialRef(env, role), {
          baseDir: env.baseDir,
          env: processEnv,
          setting: credentialSetting(env, role),
        });
  const [tls, signing, replyTrust] = await Promise.all([
    options.transport === undefined ? load('tls') : Promise.resolve(undefined),
    load('signing'),
    loadTrust(env.trust.platformSigning ?? [], {
      baseDir: env.baseDir,
      setting: `environments.${env.name}.trust.platformSigning`,
    }),
  ]);
  let transport = options.transport;
  if (transport === undefined) {
    const ca = await loadServerCa(env);
    transport = createTransport({
      ...(tls === undefined ? {} : { credential: tls }),
      ...(ca === undefined ? {} : { ca }),
      ...(logger === undefined ? {} : { logger }),
      ...(trace === undefined ? {} : { trace }),
      clock,
    });
  }
  const owned = options.transport === undefined;
  const used = transport;
  return Object.freeze({
    environment: env.name,
    transport: used,
    endpoint: (name: EndpointName) => endpointUrl(env, name),
    signingCredential(): Credential {
      if (signing === undefined) {
        // credentialRef throws the configuration error that says what to set.
        credentialRef(env, 'signing');
        throw new PasserelleError(
          'ERR_CONFIG_INVALID',
          `Environment "${env.name}" has no signing credential`,
        );
      }
      return signing;
    },
    replyTrust,
    replySignature,
    replayCache: new MemoryReplayCache({ maxEntries: 10_000 }),
    clock,
    ttlSeconds,
    inclusiveNamespaces,
    retry,
    logger,
    close: () => (owned ? used.close() : Promise.resolve()),
  });
}
