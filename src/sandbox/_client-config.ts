import { ENDPOINT_NAMES, type EndpointName } from '../config/registry.ts';
import type { Config, EnvironmentConfig, TrustEntry } from '../config/schema.ts';
import type { SandboxPki, StartedSandboxModule } from './module.ts';

export interface ClientConfigInput {
  readonly stateDir: string;
  readonly pki: SandboxPki;
  /** Every endpoint of every module; only the names the config registry knows are kept. */
  readonly endpoints: Readonly<Record<string, string>>;
  readonly contributions: readonly NonNullable<StartedSandboxModule['clientConfig']>[];
}

/** Entries merged in order, each once (a plain file and `{ pin: file }` are distinct entries). */
const mergeTrust = (a: readonly TrustEntry[] = [], b: readonly TrustEntry[] = []): TrustEntry[] => {
  const byKey = new Map<string, TrustEntry>();
  for (const e of [...a, ...b]) if (!byKey.has(JSON.stringify(e))) byKey.set(JSON.stringify(e), e);
  return [...byKey.values()];
};

const isEndpointName = (name: string): name is EndpointName =>
  (ENDPOINT_NAMES as readonly string[]).includes(name);

/**
 * The ready-to-use client configuration for env `sandbox`: endpoints, the partner's .p12
 * keystores with their password file, the dev CA as the TLS server CA, and the platform and STS
 * signing certificates PINNED (`{ pin }`, leaf-only files): the dev CA also issues the partner's
 * certificates, so trusting it for signatures would accept the partner's own signature as the
 * platform's. Paths are absolute so the object works from any directory.
 */
export function buildClientConfig({ stateDir, pki, endpoints, contributions }: ClientConfigInput): Config {
  const { partner } = pki;
  const password = { file: partner.files.passwordFile };
  const envEndpoints: NonNullable<EnvironmentConfig['endpoints']> = {};
  for (const [name, url] of Object.entries(endpoints)) if (isEndpointName(name)) envEndpoints[name] = url;

  let oauth: NonNullable<EnvironmentConfig['oauth']> = { clientId: partner.oauthClientId };
  let trust: NonNullable<EnvironmentConfig['trust']> = {
    ca: pki.caFile,
    platformSigning: [{ pin: pki.platformSigningFile }],
    sts: [{ pin: pki.stsFile }],
  };
  let channel: EnvironmentConfig['channel'];
  let sftp: EnvironmentConfig['sftp'];
  let mss: EnvironmentConfig['mss'];
  for (const c of contributions) {
    oauth = { ...oauth, ...c.oauth };
    trust = {
      ...trust,
      ...(c.trust?.ca ? { ca: c.trust.ca } : {}),
      platformSigning: mergeTrust(trust.platformSigning, c.trust?.platformSigning),
      sts: mergeTrust(trust.sts, c.trust?.sts),
    };
    channel = c.channel ?? channel;
    if (c.sftp !== undefined) sftp = { ...sftp, ...c.sftp };
    if (c.mss !== undefined) mss = c.mss;
  }
  return {
    defaultEnv: 'sandbox',
    institution: { cbe: partner.cbe, name: partner.institution, application: partner.application },
    environments: {
      sandbox: {
        ...(channel ? { channel } : {}),
        endpoints: envEndpoints,
        credentials: {
          tls: { p12: partner.files.tlsP12, password },
          signing: { p12: partner.files.signingP12, password },
          oauth: { p12: partner.files.oauthP12, password },
          hok: { p12: partner.files.signingP12, password },
        },
        trust,
        oauth,
        ...(sftp ? { sftp } : {}),
        ...(mss ? { mss } : {}),
      },
    },
    stateDir,
  };
}
