import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';

export interface VerifyChainOptions {
  /** Trust anchors: CA certificates, or pinned end-entity certificates. */
  readonly anchors: readonly X509Certificate[];
  /** Untrusted intermediates that may complete the path. */
  readonly intermediates?: readonly X509Certificate[];
  /** Validity is checked at this time (ms since epoch). */
  readonly at: number;
  readonly maxDepth?: number;
}

function validAt(cert: X509Certificate, at: number): boolean {
  return new Date(cert.validFrom).getTime() <= at && at <= new Date(cert.validTo).getTime();
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * Builds and checks a path from `leaf` to one of the anchors: each signature, each validity
 * period, and CA basic constraints on every issuer. A pinned anchor equal to the leaf is trusted
 * as such. Returns the path (leaf first, anchor last) or throws ERR_PKI_UNTRUSTED — trust never
 * comes from the message itself, only from `anchors`.
 */
export function verifyChain(leaf: X509Certificate, options: VerifyChainOptions): X509Certificate[] {
  const { anchors, intermediates = [], at, maxDepth = 6 } = options;
  const fail = (reason: string): never => {
    throw new PasserelleError(
      'ERR_PKI_UNTRUSTED',
      `Certificate "${leaf.subject.replace(/\n/g, ', ')}" is not trusted: ${reason}`,
      {
        hint: 'Add its issuing CA (or the certificate itself) to the trust store configured for this check.',
        details: { subject: leaf.subject.replace(/\n/g, ', '), fingerprint256: leaf.fingerprint256 },
      },
    );
  };
  if (!validAt(leaf, at)) fail(`outside its validity period (${leaf.validFrom} – ${leaf.validTo})`);
  if (anchors.some((a) => a.raw.equals(leaf.raw))) return [leaf];
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < maxDepth; depth++) {
    const anchor = anchors.find((a) => a.ca && issuedBy(current, a));
    if (anchor) {
      if (!validAt(anchor, at)) fail('its trust anchor is outside its validity period');
      path.push(anchor);
      return path;
    }
    const next = intermediates.find(
      (c) => c.ca && !path.some((p) => p.raw.equals(c.raw)) && issuedBy(current, c),
    );
    if (!next) break;
    if (!validAt(next, at)) fail('an intermediate certificate is outside its validity period');
    path.push(next);
    current = next;
  }
  return fail('no path to a trust anchor');
}
