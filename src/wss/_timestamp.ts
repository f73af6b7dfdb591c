import { parseXsDateTime } from '../datetime.ts';
import { PasserelleError } from '../errors.ts';
import { childElements, isNamed, textOnly } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';

export interface TimestampWindow {
  /** ms since the epoch */
  readonly created: number;
  readonly expires: number;
}

/** A strict xsd:dateTime in UTC with a literal Z, as WS-Security §10 requires; fractions of any length. */
function instant(el: Element, what: string): number {
  const text = textOnly(el)?.trim();
  const ms = text === undefined ? undefined : parseXsDateTime(text, { utc: true });
  if (ms === undefined) {
    throw new PasserelleError(
      'ERR_WSS_MALFORMED',
      `wsu:${what} is not a UTC date-time (YYYY-MM-DDThh:mm:ss[.fff]Z)`,
      { details: { element: what } },
    );
  }
  return ms;
}

/** Reads wsu:Timestamp: exactly wsu:Created then wsu:Expires, nothing else (ERR_WSS_MALFORMED). */
export function readTimestamp(ts: Element): TimestampWindow {
  const children = childElements(ts);
  if (
    children.length !== 2 ||
    !isNamed(children[0], NS.wsu, 'Created') ||
    !isNamed(children[1], NS.wsu, 'Expires')
  ) {
    throw new PasserelleError(
      'ERR_WSS_MALFORMED',
      'wsu:Timestamp must hold wsu:Created then wsu:Expires, and nothing else',
    );
  }
  const created = instant(children[0]!, 'Created');
  const expires = instant(children[1]!, 'Expires');
  if (expires <= created)
    throw new PasserelleError('ERR_WSS_MALFORMED', 'wsu:Expires is not after wsu:Created');
  return { created, expires };
}

export interface TimestampPolicy {
  readonly now: number;
  readonly maxSkewMs: number;
  readonly maxTtlMs: number;
}

/**
 * The freshness rules, with `skew` the tolerated clock difference between the two sides:
 * - Created ≤ now + skew, else ERR_WSS_TIMESTAMP_FUTURE;
 * - now − skew < Expires, else ERR_WSS_TIMESTAMP_EXPIRED (accepted up to `skew` after Expires,
 *   never at or beyond Expires + skew);
 * - Expires − Created ≤ maxTtl, else ERR_WSS_TIMESTAMP_TOO_LONG (no skew on a lifetime).
 */
export function checkTimestamp(t: TimestampWindow, policy: TimestampPolicy): void {
  const { now, maxSkewMs, maxTtlMs } = policy;
  // Written only for an error (three date strings per accepted message are measurable).
  const details = () => ({
    created: new Date(t.created).toISOString(),
    expires: new Date(t.expires).toISOString(),
    now: new Date(now).toISOString(),
  });
  if (t.expires - t.created > maxTtlMs) {
    throw new PasserelleError(
      'ERR_WSS_TIMESTAMP_TOO_LONG',
      `The timestamp lifetime exceeds ${maxTtlMs / 1000} s`,
      { details: details() },
    );
  }
  if (t.created > now + maxSkewMs) {
    throw new PasserelleError('ERR_WSS_TIMESTAMP_FUTURE', 'The timestamp is created in the future', {
      hint: 'Check that both clocks are synchronised (NTP).',
      details: details(),
    });
  }
  if (now - maxSkewMs >= t.expires) {
    throw new PasserelleError('ERR_WSS_TIMESTAMP_EXPIRED', 'The timestamp has expired', {
      hint: 'Sign the message just before sending it; check that both clocks are synchronised (NTP).',
      details: details(),
    });
  }
}
