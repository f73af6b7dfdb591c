import { createHash } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { securityHeadersFor } from './_envelope.ts';
import { checkTimestamp, readTimestamp, type TimestampWindow } from './_timestamp.ts';
import type { ReplayCache } from './replay-cache.ts';
import type { SignedPart } from './verify.ts';

/** The one Security header for this receiver, its one Signature and its Timestamp (if any). */
export interface SecurityParts {
  readonly security: Element;
  readonly signature: Element;
  readonly timestamp: Element | undefined;
}

/**
 * Finds exactly one wsse:Security header for `actor`, exactly one ds:Signature in it and at most
 * one wsu:Timestamp (ERR_WSS_NO_SECURITY, ERR_WSS_MULTIPLE_SECURITY, ERR_WSS_NO_SIGNATURE,
 * ERR_WSS_MULTIPLE_SIGNATURES, ERR_WSS_MALFORMED).
 */
export function locateSecurity(header: Element | undefined, actor: string | undefined): SecurityParts {
  const securities = securityHeadersFor(header, actor);
  if (securities.length === 0)
    throw new PasserelleError('ERR_WSS_NO_SECURITY', 'The message has no wsse:Security header');
  if (securities.length > 1)
    throw new PasserelleError(
      'ERR_WSS_MULTIPLE_SECURITY',
      'The message has more than one wsse:Security header for this receiver',
    );
  const security = securities[0]!;
  const signatures = childElements(security, NS.ds, 'Signature');
  if (signatures.length === 0)
    throw new PasserelleError('ERR_WSS_NO_SIGNATURE', 'The Security header holds no ds:Signature');
  if (signatures.length > 1)
    throw new PasserelleError(
      'ERR_WSS_MULTIPLE_SIGNATURES',
      'The Security header holds more than one ds:Signature',
    );
  const timestamps = childElements(security, NS.wsu, 'Timestamp');
  if (timestamps.length > 1)
    throw new PasserelleError('ERR_WSS_MALFORMED', 'The Security header holds more than one wsu:Timestamp');
  return { security, signature: signatures[0]!, timestamp: timestamps[0] };
}

/** Throws ERR_WSS_TIMESTAMP_MISSING / ERR_WSS_PART_NOT_SIGNED unless every `required` part is signed. */
export function requireSignedParts(
  required: readonly SignedPart[],
  signed: readonly string[],
  timestamp: Element | undefined,
): void {
  if (required.includes('timestamp') && !timestamp)
    throw new PasserelleError('ERR_WSS_TIMESTAMP_MISSING', 'The Security header holds no wsu:Timestamp');
  for (const part of required) {
    if (!signed.includes(part)) {
      throw new PasserelleError(
        'ERR_WSS_PART_NOT_SIGNED',
        `The ${part === 'bst' ? 'BinarySecurityToken' : part} is not signed`,
        { details: { part, signed } },
      );
    }
  }
}

export interface FreshnessOptions {
  readonly now: number;
  readonly maxSkewSeconds: number;
  readonly maxTtlSeconds: number;
  readonly replayCache: ReplayCache | undefined;
}

/**
 * Checks the Timestamp window (when there is one) and remembers the SignatureValue in the replay
 * cache until the message could no longer be accepted (ERR_WSS_TIMESTAMP_*, ERR_WSS_REPLAY).
 */
export function checkFreshness(
  timestamp: Element | undefined,
  signatureValue: Buffer,
  o: FreshnessOptions,
): TimestampWindow | undefined {
  const maxSkewMs = o.maxSkewSeconds * 1000;
  const window = timestamp ? readTimestamp(timestamp) : undefined;
  if (window) checkTimestamp(window, { now: o.now, maxSkewMs, maxTtlMs: o.maxTtlSeconds * 1000 });
  if (o.replayCache) {
    const key = createHash('sha256').update(signatureValue).digest('base64');
    const until = (window ? window.expires : o.now + o.maxTtlSeconds * 1000) + maxSkewMs;
    if (!o.replayCache.remember(key, until, o.now))
      throw new PasserelleError('ERR_WSS_REPLAY', 'This signed message was already accepted once (replay)');
  }
  return window;
}
