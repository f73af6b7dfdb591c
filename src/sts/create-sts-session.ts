import { type Clock, systemClock } from '../clock.ts';
import {
  credentialRef,
  credentialSetting,
  endpointUrl,
  type ResolvedEnvironment,
} from '../config/environment.ts';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { loadServerCa, loadTrust } from '../pki/load-trust.ts';
import type { TrustAnchors } from '../pki/trust.ts';
import { createTransport } from '../transport/create-transport.ts';
import type { TraceRecorder } from '../transport/trace-types.ts';
import type { Transport } from '../transport/types.ts';
import { requestToken } from './request-token.ts';
import { StsTokenCache, type StsTokenSource } from './token-cache.ts';
import type { StsToken } from './types.ts';

export interface CreateStsSessionOptions {
  readonly clock?: Clock;
  readonly processEnv?: NodeJS.ProcessEnv;
  /** Persist tokens here (see StsTokenCache); default: none. */
  readonly stateDir?: string;
  /** Claim URIs; default the enterprise CBE claims. */
  readonly claims?: readonly string[];
  /** A mutual-TLS transport to reuse (e.g. the service context's); else one is made from credentials.tls. */
  readonly transport?: Transport;
  readonly logger?: Logger;
  /** Records the exchanges of the transport built here; a given `transport` is used as it is. */
  readonly trace?: TraceRecorder | undefined;
}

/** Tokens of one environment's holder-of-key identity, cached. Close it when done. */
export interface StsSession {
  /** The holder-of-key credential (`credentials.hok`), which signs HOK messages. */
  readonly credential: Credential;
  /** A usable token and where it came from (memory, file, or a new STS request). */
  token(): Promise<{ readonly token: StsToken; readonly source: StsTokenSource }>;
  /** Who may issue assertions (`trust.sts`); both lists empty under `trust.stsUnverified`. */
  readonly stsTrust: TrustAnchors;
  /**
   * False only under the explicit opt-out `trust.stsUnverified: true`: assertions are then NOT
   * verified, and whoever shows a token must say so.
   */
  readonly assertionVerified: boolean;
  /** Whether tokens are saved in the state directory (never under `trust.stsUnverified`). */
  readonly persisted: boolean;
  close(): Promise<void>;
}

/**
 * The STS trust of an environment: `trust.sts` (pins and CAs, see loadTrust), or the explicit
 * opt-out `trust.stsUnverified: true`. Neither (or both) is ERR_CONFIG_TRUST_MISSING /
 * ERR_CONFIG_INVALID naming the setting: an assertion is never accepted unverified silently.
 */
export async function stsTrustOf(env: ResolvedEnvironment): Promise<TrustAnchors | 'unverified'> {
  const setting = `environments.${env.name}.trust`;
  const entries = env.trust.sts ?? [];
  if (env.trust.stsUnverified === true) {
    if (entries.length > 0) {
      throw new PasserelleError('ERR_CONFIG_INVALID', `${setting} sets both sts and stsUnverified: true`, {
        hint: `Remove stsUnverified from ${setting}: with sts configured, assertions are verified.`,
        details: { env: env.name, setting: `${setting}.stsUnverified` },
      });
    }
    return 'unverified';
  }
  if (entries.length === 0) {
    throw new PasserelleError(
      'ERR_CONFIG_TRUST_MISSING',
      `No STS trust is configured (${setting}.sts): the issued assertion could not be verified`,
      {
        hint: `Set ${setting}.sts to [{ pin: FILE }] (the STS signing certificate alone) or [{ ca: FILE }] (its issuing CA). Only if that is impossible, set ${setting}.stsUnverified: true to accept assertions unverified (insecure).`,
        details: { env: env.name, setting: `${setting}.sts` },
      },
    );
  }
  return loadTrust(entries, { baseDir: env.baseDir, setting: `${setting}.sts` });
}

/**
 * Opens the STS side of an environment: loads `credentials.hok` (the holder-of-key: UseKey and
 * RST signer), the STS trust (stsTrustOf: `trust.sts`, or the explicit opt-out
 * `trust.stsUnverified`), the `ehealth.sts` endpoint, and a mutual-TLS transport
 * (`credentials.tls`, `trust.ca`) unless one is given; the tokens go through a StsTokenCache
 * (single flight, renewal ahead of expiry, optional files). Everything is checked before any
 * request: missing trust, and a TLS credential outside its validity period (ERR_PKI_CREDENTIAL_*;
 * the holder-of-key one is checked each time it signs). Under the opt-out, tokens are not
 * persisted, so that the state directory only ever holds verified assertions.
 */
export async function createStsSession(
  env: ResolvedEnvironment,
  options: CreateStsSessionOptions = {},
): Promise<StsSession> {
  const { clock = systemClock, processEnv = process.env, claims, logger, trace } = options;
  const url = endpointUrl(env, 'ehealth.sts');
  const trust = await stsTrustOf(env);
  const verified = trust !== 'unverified';
  const stateDir = verified ? options.stateDir : undefined;
  const load = (role: 'tls' | 'hok') =>
    loadCredential(credentialRef(env, role), {
      baseDir: env.baseDir,
      env: processEnv,
      setting: credentialSetting(env, role),
    });
  const credential = await load('hok');
  let transport = options.transport;
  const owned = transport === undefined;
  if (transport === undefined) {
    const tls = env.credentials.tls === undefined ? undefined : await load('tls');
    const ca = await loadServerCa(env);
    transport = createTransport({
      ...(tls ? { credential: tls } : {}),
      ...(ca ? { ca } : {}),
      ...(logger ? { logger } : {}),
      ...(trace ? { trace } : {}),
      clock,
    });
  }
  if (!verified)
    logger?.warn({ env: env.name }, 'trust.stsUnverified: STS assertions are accepted WITHOUT verification');
  const used = transport;
  const fingerprints = (certs: readonly { fingerprint256: string }[]) =>
    certs.map((c) => c.fingerprint256).sort();
  const cache = new StsTokenCache({
    clock,
    scope: JSON.stringify([
      url,
      verified ? { pinned: fingerprints(trust.pinned), ca: fingerprints(trust.ca) } : 'unverified',
    ]),
    ...(stateDir === undefined ? {} : { stateDir }),
    ...(logger === undefined ? {} : { logger }),
    fetch: (r) =>
      requestToken({
        transport: used,
        url,
        clock,
        ...r,
        ...(verified ? { stsTrust: trust } : { insecureUnverifiedAssertion: true }),
        ...(logger ? { logger } : {}),
      }),
  });
  return {
    credential,
    stsTrust: verified ? trust : { pinned: [], ca: [] },
    assertionVerified: verified,
    persisted: stateDir !== undefined,
    token: () => cache.get({ credential, ...(claims === undefined ? {} : { claims }) }),
    close: () => (owned ? used.close() : Promise.resolve()),
  };
}
