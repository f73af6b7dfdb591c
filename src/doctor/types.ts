import type { Clock } from '../clock.ts';
import type { EndpointName } from '../config/registry.ts';
import type { ErrorCode } from '../errors.ts';
import type { ProfileName } from '../pki/profiles.ts';

/**
 * The onboarding steps of the seeds (PROTOCOLS.md §10): 1 network, 2 firewall flows,
 * 3 certificates, 4 access management (OAuth client), 5 service access. Step 0 is Passerelle's
 * own configuration, before any onboarding step can be checked.
 */
export type OnboardingStep = 0 | 1 | 2 | 3 | 4 | 5;

export const ONBOARDING_STEPS: Readonly<Record<OnboardingStep, string>> = {
  0: 'configuration',
  1: 'network',
  2: 'firewall flows',
  3: 'certificates',
  4: 'access management',
  5: 'service access',
};

export type DoctorCheckStatus = 'ok' | 'failed' | 'skipped';

/** One check of the run; a failure says what broke, which onboarding step and what to do. */
export interface DoctorCheck {
  /** Stable id: `config`, `credential.tls`, `dns:<host>`, `tcp:<host>:<port>`, `tls:<host>:<port>`, ... */
  readonly id: string;
  readonly title: string;
  readonly status: DoctorCheckStatus;
  /** Wall time of the check, ms. */
  readonly durationMs: number;
  /** What was found (ok) or why it was skipped; never a secret. */
  readonly detail?: string;
  /** On failure: the error code (a PasserelleError code of the project). */
  readonly code?: ErrorCode;
  /** On failure: what went wrong. */
  readonly message?: string;
  /** On failure: the onboarding step it maps to. */
  readonly step?: OnboardingStep;
  readonly stepName?: string;
  /** On failure: what to do, naming the host:port, the setting or the form row. */
  readonly remedy?: string;
}

export interface DoctorReport {
  readonly env: string;
  readonly status: 'ok' | 'failed';
  /** The checks in the order they ran; the run stops after the first failure. */
  readonly checks: readonly DoctorCheck[];
  /** The failed check, when there is one. */
  readonly failed?: DoctorCheck;
  readonly durationMs: number;
}

/** A row of the firewall-flow form (`passerelle onboard init` numbers them), to name in remedies. */
export interface DoctorFirewallRow {
  readonly row: number;
  /** Destination host name or IP. */
  readonly host: string;
  readonly port: number;
}

export interface DoctorTimeouts {
  /** Per host name; default 3000. */
  readonly dnsMs?: number;
  /** Per TCP connection; default 3000. */
  readonly tcpMs?: number;
  /** Per TLS handshake, and per client-certificate probe; default 5000. */
  readonly tlsMs?: number;
  /** Per service call (test call, token, SFTP login); default 15000. */
  readonly callMs?: number;
}

export interface RunDoctorOptions {
  /** Certificate validity, WS-Security timestamps and client assertions use it; default system. */
  readonly clock?: Clock;
  /** Where `password: { env }` references are read; default process.env. */
  readonly processEnv?: NodeJS.ProcessEnv;
  /** Profile the TLS certificate subject must fit; default: any of ebox, cbss, ehealth. */
  readonly profile?: ProfileName;
  /** The endpoints whose host and port are checked; default cbss.soap, cbss.mtom, cbss.rest, oauth.token, sftp. */
  readonly endpoints?: readonly EndpointName[];
  /**
   * REST APIs whose `GET /{api}/health` is called with a token after the OAuth check; default the
   * APIs of `rest.apis` in the configuration (none: no health call).
   */
  readonly restApis?: readonly string[];
  /** The firewall-form rows, so that a missing flow names its row. */
  readonly firewallRows?: readonly DoctorFirewallRow[];
  readonly timeouts?: DoctorTimeouts;
  /** Called after each check, as it completes (progress output). */
  readonly onCheck?: (check: DoctorCheck) => void;
}
