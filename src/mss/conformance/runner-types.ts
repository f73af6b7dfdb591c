/**
 * What a conformance run needs and what it reports while it runs. The runner (runner.ts) takes
 * these; the CLI and the web application build them from their own inputs.
 */
import type { RunResult, TlsMode } from './report-schema.ts';
import type { CaseStatus } from './verdict.ts';

export interface TargetEndpoint {
  readonly port: number;
  readonly tls: TlsMode;
}

/** The operator's API LPS under test. */
export interface ConformanceTarget {
  /** Host name or IP the servers are reached at, and the name their certificates must carry. */
  readonly host: string;
  readonly imap: TargetEndpoint;
  readonly smtp: TargetEndpoint;
  /** The professional's mailbox the token cases open. */
  readonly mailbox: string;
  /** The professional's national id (RPPS), owner of `mailbox`; the PSC `preferred_username`. */
  readonly idNat: string;
  /** Trust anchors for the operator's server certificates, PEM (IGC Santé in production). */
  readonly ca: string;
  /** Client certificate (PEM) of the mailbox holder for the AUTH_CLI cases; absent: those cases are skipped. */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  /** Mailbox opened by the client certificate; default `mailbox`. */
  readonly clientCertificateMailbox?: string;
}

/** One progress event of a running job. */
export type ConformanceProgress =
  | { readonly type: 'run-started'; readonly runId: string; readonly total: number }
  | { readonly type: 'case-started'; readonly caseId: string; readonly done: number; readonly total: number }
  | {
      readonly type: 'case-finished';
      readonly caseId: string;
      readonly status: CaseStatus;
      readonly message: string;
      readonly done: number;
      readonly total: number;
    }
  | { readonly type: 'run-finished'; readonly result: RunResult };

/**
 * The Pro Santé Connect the application plays: the operator's servers validate tokens against
 * it (introspection, JWKS). In process (the sandbox's PSC stub) or a running service.
 */
export interface ConformancePsc {
  /** The issuer (`…/auth/realms/esante-wallet`). */
  readonly issuer: string;
  /**
   * A PSC access token for `idNat`, whose introspection names `mailbox` (`email`): the
   * professional is registered with the PSC first. `issuedAt` in ms since the epoch.
   */
  mintToken(o: {
    readonly idNat: string;
    readonly mailbox: string;
    readonly issuedAt?: number;
    readonly expiresInSeconds?: number;
  }): Promise<string>;
  /** How many introspection requests the PSC answered for this token so far. */
  introspectionsOf(token: string): Promise<number>;
}

/** The application's own mailbox, where the operator's system delivers (operator-interface case). */
export interface InboundMailbox {
  readonly address: string;
  /** Waits for a message whose Message-ID is `messageId`; undefined when none came in time. */
  waitFor(messageId: string, timeoutMs: number, signal?: AbortSignal): Promise<InboundMessage | undefined>;
}

export interface InboundMessage {
  /** The TLS version the operator's MTA used (null: no TLS). */
  readonly tlsProtocol: string | null;
  readonly from: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly size: number;
}
