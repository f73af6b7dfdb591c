import type { Clock } from '../clock.ts';
import type { EnvironmentConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';

/**
 * The development PKI of a sandbox state directory: a local CA, the sandbox's own server and
 * signing certificates, and the partner credentials a client uses to talk to it. Created on
 * first start, reloaded afterwards.
 */
export interface SandboxPki {
  readonly dir: string;
  /** PEM file of the development CA: trust anchor for the sandbox's TLS and signatures. */
  readonly caFile: string;
  readonly ca: Credential;
  /** TLS server certificate (SAN localhost, 127.0.0.1). */
  readonly server: Credential;
  /** Platform key that signs SOAP replies (clients verify replies against it). */
  readonly platformSigning: Credential;
  /** Its certificate alone (PEM, no CA): what clients pin as `trust.platformSigning`. */
  readonly platformSigningFile: string;
  /** Key of the sandbox STS that signs SAML assertions. */
  readonly sts: Credential;
  /** Its certificate alone (PEM, no CA): what clients pin as `trust.sts`. */
  readonly stsFile: string;
  readonly partner: SandboxPartner;
}

export interface SandboxPartner {
  readonly cbe: string;
  readonly institution: string;
  readonly application: string;
  /** The OAuth client id the sandbox authorization server registers for the partner. */
  readonly oauthClientId: string;
  readonly tls: Credential;
  readonly signing: Credential;
  readonly oauth: Credential;
  /** Files a client configuration points at (.p12 keystores and their password file). */
  readonly files: {
    readonly tlsP12: string;
    readonly signingP12: string;
    readonly oauthP12: string;
    readonly passwordFile: string;
  };
}

export interface SandboxModuleContext {
  readonly host: string;
  /** The port for one role of the module: port-base + a fixed offset, or 0 for ephemeral. */
  port(role: string): number;
  readonly pki: SandboxPki;
  readonly clock: Clock;
  /** The sandbox log: precise rejection reasons go here, never to the caller. */
  readonly log: Logger;
  readonly stateDir: string;
  /** Seeded randomness for fault injection, so runs repeat. */
  readonly random: () => number;
  /** A read-only view of the whole sandbox (the console uses it); set by the host. */
  readonly sandbox?: SandboxView;
}

/** What a module may read about the running sandbox, at any time after it started. */
export interface SandboxView {
  readonly startedAt: string;
  /** The modules started so far, in start order. */
  modules(): readonly {
    readonly name: string;
    readonly endpoints: Readonly<Record<string, string>>;
    readonly stats: Readonly<Record<string, number>>;
  }[];
  /** The most recent sandbox log entries, oldest first (secrets already scrubbed). */
  recentLog(limit: number): readonly SandboxViewLogEntry[];
}

export interface SandboxViewLogEntry {
  readonly time: string;
  readonly level: string;
  readonly module: string;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface StartedSandboxModule {
  /** Endpoint name (config registry names such as `cbss.soap`, or module-specific) → URL. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Extra facts published in sandbox.json (e.g. the files of the certificates it trusts). */
  readonly info?: Readonly<Record<string, unknown>>;
  /** Counters the demo and tests read (e.g. token requests served). */
  readonly stats?: () => Readonly<Record<string, number>>;
  /**
   * Settings the module adds to the client configuration of env `sandbox` (e.g. the OAuth
   * scope). Endpoints whose names are in the config registry are added automatically.
   */
  readonly clientConfig?: Pick<EnvironmentConfig, 'oauth' | 'trust' | 'channel'>;
  close(): Promise<void>;
}

/** One protocol of the platform side (soa, sts, oauth, rest, ...). */
export interface SandboxModule {
  readonly name: string;
  /**
   * The port offset of each role the module listens in (`ctx.port(role)` = port-base + offset).
   * Offsets mirror the platform where it has fixed ports: with port-base 4500, role offsets 20,
   * 22, 30 and 43 give 4520, 4522, 4530 and 4543. Offsets must be unique across modules.
   */
  readonly ports?: Readonly<Record<string, number>>;
  start(ctx: SandboxModuleContext): Promise<StartedSandboxModule>;
}
