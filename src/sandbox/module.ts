import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.ts';
import type { EnvironmentConfig } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import type { Credential } from '../pki/credential.ts';
import type { VerificationOutcome, VerificationReport, VerificationReportJson } from '../wss/report.ts';
import type { SandboxFault } from './faults.ts';

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
  /** The exchange journal of the sandbox (absent when the host keeps none). */
  readonly journal?: SandboxJournal;
  /** The connection faults of this instance (see faults.ts); modules that simulate one read it. */
  readonly faults?: ReadonlySet<SandboxFault>;
}

/**
 * What the listeners of a module tell the exchange journal: each request and its reply (the
 * journal taps both, bounded), then what only the handler knows.
 */
export interface SandboxJournal {
  /**
   * Records the request `req` received by `listener` (e.g. `soa`, `sts`) and the reply `res`,
   * once the reply is done or the connection closed. Call it first thing in the request
   * handler, before anything reads the body.
   */
  observe(listener: string, req: IncomingMessage, res: ServerResponse): void;
  /** Adds facts to the exchange of an observed `req` (later facts win); ignored otherwise. */
  note(req: IncomingMessage, facts: ExchangeFacts): void;
}

export interface ExchangeFacts {
  /** What the caller was answered: a SOA code (SOA-01001), a WS-Trust fault, an OAuth error. */
  readonly fault?: string;
  /** The precise reason, as in the sandbox log (ERR_WSS_DIGEST_MISMATCH, unknown-operation). */
  readonly reason?: string;
  /** The operation served (checkAccessControl, ...). */
  readonly operation?: string;
  /** The WS-Security verification of the request; read when the exchange is recorded. */
  readonly verification?: VerificationReport;
}

/** One exchange as the console lists it. */
export interface ExchangeSummary {
  /** Increasing from 1 in the order exchanges finish. */
  readonly id: string;
  /** When the request arrived (the sandbox clock). */
  readonly time: string;
  readonly listener: string;
  readonly method: string;
  /** The request target, at most 500 characters, secret query parameters redacted. */
  readonly path: string;
  readonly soapAction: string | undefined;
  /** Subject of the client's TLS certificate (mutual TLS listeners). */
  readonly clientSubject: string | undefined;
  /** HTTP status sent; 0 when the connection closed before any reply. */
  readonly status: number;
  readonly fault: string | undefined;
  readonly reason: string | undefined;
  readonly operation: string | undefined;
  /** From the request's arrival to the end of the reply (or of the connection), ms. */
  readonly durationMs: number;
  /** False when the connection closed before the reply was complete. */
  readonly completed: boolean;
  readonly requestBytes: number;
  readonly replyBytes: number;
  readonly verification: { readonly outcome: VerificationOutcome; readonly code?: string } | undefined;
}

/** A request or reply body as kept: at most its share of the entry cap, secrets redacted. */
export interface ExchangeBody {
  /** Bytes received or sent in all. */
  readonly bytes: number;
  /** The kept bytes as UTF-8 text (invalid sequences replaced), secrets `[REDACTED:…]`. */
  readonly text: string;
  /** True when `bytes` exceeds what was kept. */
  readonly truncated: boolean;
}

/** One exchange in full, as the console shows it. */
export interface ExchangeRecord extends ExchangeSummary {
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly replyHeaders: Readonly<Record<string, string>>;
  readonly request: ExchangeBody;
  readonly reply: ExchangeBody;
  /** Per-reference verdicts and the rest of the verification, when the request was verified. */
  readonly verificationReport: VerificationReportJson | undefined;
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
  /** The JSON API of a started module (see StartedSandboxModule.api), if it has one. */
  moduleApi(name: string): SandboxModuleApi | undefined;
  /** The most recent exchanges, newest first (empty when the host keeps no journal). */
  exchanges(limit: number): readonly ExchangeSummary[];
  /** One exchange still in the journal. */
  exchange(id: string): ExchangeRecord | undefined;
  /** The journal's bounds and how many exchanges it recorded and dropped. */
  journalInfo(): {
    readonly capacity: number;
    readonly maxEntryBytes: number;
    readonly recorded: number;
    readonly dropped: number;
  };
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
  readonly clientConfig?: Pick<EnvironmentConfig, 'oauth' | 'trust' | 'channel' | 'sftp' | 'mss'>;
  /** A JSON API the console serves under `/api/v1/<module name>/` (GET and HEAD). */
  readonly api?: SandboxModuleApi;
  close(): Promise<void>;
}

/**
 * A module's JSON API, mounted by the console: `path` is the request path below
 * `/api/v1/<module name>` (e.g. `/citizens`); the handler answers (it may stream).
 */
export type SandboxModuleApi = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
) => void | Promise<void>;

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
