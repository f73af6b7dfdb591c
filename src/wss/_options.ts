import type { X509Certificate } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { XmlLimits } from '../xml/limits.ts';
import { NCNAME } from '../xmldsig/ids.ts';
import type { AllowedAlgorithms } from '../xmldsig/references.ts';
import type { WssIdKind } from './_ids.ts';
import type { ReplayCache } from './replay-cache.ts';
import type { VerificationReport } from './report.ts';

/** What every WS-Security signer takes besides its key and token. */
export interface MessageSigningOptions {
  readonly clock?: Clock;
  /** Timestamp lifetime in seconds: default and maximum 300 (PROTOCOLS.md §3). */
  readonly ttlSeconds?: number;
  /** Emit InclusiveNamespaces PrefixLists (WSS4J's rule, as in the platform's examples). Default true. */
  readonly inclusiveNamespaces?: boolean;
  /** Prepended to every generated id. Must start an XML name (letter or underscore). */
  readonly idPrefix?: string;
  /** Replaces the id generator; must return fresh XML NCNames. */
  readonly idGenerator?: (kind: WssIdKind) => string;
  readonly xmlLimits?: Partial<XmlLimits>;
}

/** What every WS-Security verifier takes besides its trust. */
export interface MessagePolicyOptions {
  /** Untrusted intermediate CA certificates that may complete a signer's path. */
  readonly intermediates?: readonly X509Certificate[];
  readonly clock?: Clock;
  /** Longest accepted Expires − Created, seconds. Default 300 (PROTOCOLS.md §3). */
  readonly maxTtlSeconds?: number;
  /** Rejects a signature seen before (ERR_WSS_REPLAY). Recommended on every receiving side. */
  readonly replayCache?: ReplayCache;
  /** Allow-lists of algorithm URIs; defaults DEFAULT_SIGNATURE_ALGORITHMS / DEFAULT_DIGEST_ALGORITHMS. */
  readonly allowedAlgorithms?: AllowedAlgorithms;
  /** The soapenv:actor we act as, besides the ultimate receiver. */
  readonly actor?: string;
  readonly xmlLimits?: Partial<XmlLimits>;
  /**
   * Filled with what was checked and how each check went (per Reference, SignatureValue,
   * signer, Timestamp, outcome), even when verification throws; it changes nothing else.
   */
  readonly report?: VerificationReport;
}

/** Caller mistakes in the options every signer shares are TypeErrors, named after the function `name`. */
export function _checkSigningOptions(
  o: MessageSigningOptions & {
    readonly credential?: { readonly privateKey?: unknown; readonly certificate?: unknown };
  },
  name: string,
): void {
  if (!o.credential?.privateKey || !o.credential.certificate)
    throw new TypeError(`${name}: \`credential\` is required`);
  const { ttlSeconds = 300, idPrefix = '' } = o;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > 300)
    throw new TypeError(`${name}: \`ttlSeconds\` must be greater than 0 and at most 300`);
  if (idPrefix !== '' && !NCNAME.test(idPrefix))
    throw new TypeError(`${name}: \`idPrefix\` must start an XML name`);
}
