import type { X509Certificate } from 'node:crypto';

/**
 * What a verifier trusts, said explicitly:
 * - `pinned`: certificates trusted as themselves only. A signer is accepted when its certificate
 *   is byte-equal to one of them (and valid now); nothing they issued is trusted.
 * - `ca`: trust anchors. A signer is accepted when a path builds from its certificate to one of
 *   them (signatures, CA constraints and validity checked on every link).
 */
export interface TrustAnchors {
  readonly pinned: readonly X509Certificate[];
  readonly ca: readonly X509Certificate[];
}

/**
 * Trust as verifiers take it: explicit `TrustAnchors`, or a plain list of certificates where each
 * one is read by its own basic constraints — a CA certificate is an anchor, any other is pinned.
 * A plain list cannot pin a CA certificate; use `{ pinned, ca }` for that.
 */
export type Trust = TrustAnchors | readonly X509Certificate[];

/** Normalises `trust` to `{ pinned, ca }` (a plain list is split by the CA flag). */
export function trustAnchors(trust: Trust): TrustAnchors {
  if (Array.isArray(trust)) {
    const list = trust as readonly X509Certificate[];
    return { pinned: list.filter((c) => !c.ca), ca: list.filter((c) => c.ca) };
  }
  return trust as TrustAnchors;
}

/** True when `trust` is a list or `{ pinned, ca }` naming at least one certificate. */
export function hasTrust(trust: unknown): trust is Trust {
  if (Array.isArray(trust)) return trust.length > 0;
  if (typeof trust !== 'object' || trust === null) return false;
  const { pinned, ca } = trust as Partial<TrustAnchors>;
  return Array.isArray(pinned) && Array.isArray(ca) && pinned.length + ca.length > 0;
}
