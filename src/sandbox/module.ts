import type { Clock } from '../clock.ts';
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
  readonly platformSigningFile: string;
  /** Key of the sandbox STS that signs SAML assertions. */
  readonly sts: Credential;
  readonly stsFile: string;
  readonly partner: SandboxPartner;
}

export interface SandboxPartner {
  readonly cbe: string;
  readonly institution: string;
  readonly application: string;
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
}

export interface StartedSandboxModule {
  /** Endpoint name (config registry names such as `cbss.soap`, or module-specific) → URL. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** Extra facts published in sandbox.json (e.g. the files of the certificates it trusts). */
  readonly info?: Readonly<Record<string, unknown>>;
  /** Counters the demo and tests read (e.g. token requests served). */
  readonly stats?: () => Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** One protocol of the platform side (soa, sts, oauth, rest, ...). */
export interface SandboxModule {
  readonly name: string;
  start(ctx: SandboxModuleContext): Promise<StartedSandboxModule>;
}
