import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Clock, systemClock } from '../clock.ts';
import { credentialRef, endpointUrl, type ResolvedEnvironment } from '../config/environment.ts';
import { resolvePath } from '../config/load.ts';
import { PasserelleError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import { loadCredential } from '../pki/load-credential.ts';
import { parseCertificates } from '../pki/pem.ts';
import { createTransport } from '../transport/create-transport.ts';
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
}

/** Tokens of one environment's holder-of-key identity, cached. Close it when done. */
export interface StsSession {
  /** The holder-of-key credential (`credentials.hok`), which signs HOK messages. */
  readonly credential: Credential;
  /** A usable token and where it came from (memory, file, or a new STS request). */
  token(): Promise<{ readonly token: StsToken; readonly source: StsTokenSource }>;
  readonly stsTrust: readonly X509Certificate[];
  close(): Promise<void>;
}

async function readCertificates(
  env: ResolvedEnvironment,
  files: readonly string[],
): Promise<X509Certificate[]> {
  const out: X509Certificate[] = [];
  for (const file of files) {
    const path = resolvePath(env.baseDir, file);
    try {
      out.push(...parseCertificates(await readFile(path, 'utf8'), path));
    } catch (cause) {
      throw new PasserelleError('ERR_CONFIG_INVALID', `Cannot read the trust file ${path}`, {
        details: { path },
        cause,
      });
    }
  }
  return out;
}

/**
 * Opens the STS side of an environment: loads `credentials.hok` (the holder-of-key: UseKey and
 * RST signer), `trust.sts` (assertions are verified on receipt when configured), the `ehealth.sts`
 * endpoint, and a mutual-TLS transport (`credentials.tls`, `trust.ca`) unless one is given; the
 * tokens go through a StsTokenCache (single flight, renewal ahead of expiry, optional files).
 */
export async function createStsSession(
  env: ResolvedEnvironment,
  options: CreateStsSessionOptions = {},
): Promise<StsSession> {
  const { clock = systemClock, processEnv = process.env, stateDir, claims, logger } = options;
  const url = endpointUrl(env, 'ehealth.sts');
  const load = (role: 'tls' | 'hok') =>
    loadCredential(credentialRef(env, role), { baseDir: env.baseDir, env: processEnv });
  const credential = await load('hok');
  const stsTrust = await readCertificates(env, env.trust.sts ?? []);
  let transport = options.transport;
  const owned = transport === undefined;
  if (transport === undefined) {
    const tls = env.credentials.tls === undefined ? undefined : await load('tls');
    const ca = env.trust.ca === undefined ? undefined : await readCertificates(env, [env.trust.ca]);
    transport = createTransport({
      ...(tls ? { credential: tls } : {}),
      ...(ca ? { ca } : {}),
      ...(logger ? { logger } : {}),
    });
  }
  const used = transport;
  const cache = new StsTokenCache({
    clock,
    ...(stateDir === undefined ? {} : { stateDir }),
    ...(logger === undefined ? {} : { logger }),
    fetch: (r) =>
      requestToken({
        transport: used,
        url,
        clock,
        ...r,
        ...(stsTrust.length > 0 ? { stsTrust } : {}),
        ...(logger ? { logger } : {}),
      }),
  });
  return {
    credential,
    stsTrust,
    token: () => cache.get({ credential, ...(claims === undefined ? {} : { claims }) }),
    close: () => (owned ? used.close() : Promise.resolve()),
  };
}
