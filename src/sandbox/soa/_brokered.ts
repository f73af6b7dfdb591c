import type { Clock } from '../../clock.ts';
import type { VerificationReport } from '../../wss/report.ts';
import type { Element } from '../../xml/node.ts';
import type { SandboxPki } from '../module.ts';

/** What a holder-of-key verifier tells the gateway about an accepted brokered call. */
export interface BrokeredConsumer {
  /** Who is authenticated, as reported in AuthenticatedConsumer (e.g. the HOK subject or CBE). */
  readonly consumer: string;
  /** The SOAP Body of the very DOM whose signature was verified (the payload is read from it). */
  readonly body: Element;
}

/**
 * The seam for `checkBrokeredAccessControl` (SAML 1.1 holder-of-key, PROTOCOLS.md §4). The
 * default (`_hok.ts`) is `verifyHokEnvelope` against the sandbox STS key. A verifier returns the
 * authenticated consumer and the verified Body, or throws a PasserelleError whose code goes to
 * the sandbox log; the caller only ever sees SOA-01001. Without a verifier (`brokered: false`)
 * the gateway answers every brokered call SOA-01001 (reason ERR_SAML_INVALID in the log).
 */
export type BrokeredVerifier = (
  envelope: string,
  ctx: {
    readonly pki: SandboxPki;
    readonly clock: Clock;
    /** When given, for the exchange journal: pass it to the verifier (`report` option). */
    readonly report?: VerificationReport;
  },
) => BrokeredConsumer | Promise<BrokeredConsumer>;
