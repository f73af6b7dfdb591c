import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { validityAt } from './_validity.ts';
import { subjectDn } from './dn.ts';
import { type Trust, trustAnchors } from './trust.ts';

export interface VerifyChainOptions {
  /**
   * Trust: `{ pinned, ca }` (pinned certificates trusted as themselves only, CA anchors for path
   * building), or a plain list where CA certificates are anchors and the others are pinned.
   */
  readonly anchors: Trust;
  /** Untrusted intermediates that may complete the path. */
  readonly intermediates?: readonly X509Certificate[];
  /** Validity is checked at this time (ms since epoch). */
  readonly at: number;
  readonly maxDepth?: number;
}

const validAt = (cert: X509Certificate, at: number): boolean => validityAt(cert, at).state === 'valid';

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** A path leaf → … → CA anchor using only certificates accepted by `usable`, or undefined. */
function buildPath(
  leaf: X509Certificate,
  ca: readonly X509Certificate[],
  intermediates: readonly X509Certificate[],
  maxDepth: number,
  usable: (c: X509Certificate) => boolean,
): X509Certificate[] | undefined {
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < maxDepth; depth++) {
    const anchor = ca.find((a) => a.ca && usable(a) && issuedBy(current, a));
    if (anchor) return [...path, anchor];
    const next = intermediates.find(
      (c) => c.ca && usable(c) && !path.some((p) => p.raw.equals(c.raw)) && issuedBy(current, c),
    );
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
  return undefined;
}

/**
 * Throws ERR_PKI_CERT_EXPIRED / ERR_PKI_CERT_NOT_YET_VALID for the first certificate of a
 * trusted `path` that is outside its validity period at `at`.
 */
function checkValidity(path: readonly X509Certificate[], at: number): void {
  const index = path.findIndex((c) => !validAt(c, at));
  if (index < 0) return;
  const leaf = path[0]!;
  const cert = path[index]!;
  const position = index === 0 ? 'leaf' : index === path.length - 1 ? 'anchor' : 'intermediate';
  const { state, from, to } = validityAt(cert, at);
  const early = state === 'early';
  const when = new Date(early ? from : to).toISOString();
  const whose = index === 0 ? '' : ` (the ${position} "${subjectDn(cert)}" of its path)`;
  throw new PasserelleError(
    early ? 'ERR_PKI_CERT_NOT_YET_VALID' : 'ERR_PKI_CERT_EXPIRED',
    `Certificate "${subjectDn(leaf)}" is trusted but${whose} ${early ? `is not valid before ${when}` : `expired on ${when}`}`,
    {
      hint: early
        ? 'Check the clock of this machine (NTP), or wait until the certificate becomes valid.'
        : 'The peer must renew its certificate (or the configured trust must list the renewed one).',
      details: {
        subject: subjectDn(leaf),
        fingerprint256: leaf.fingerprint256,
        position,
        certificate: subjectDn(cert),
        validFrom: new Date(from).toISOString(),
        validTo: new Date(to).toISOString(),
        at: new Date(at).toISOString(),
      },
    },
  );
}

/**
 * Decides whether `leaf` is trusted, then whether it is valid now. Trusted: byte-equal to a
 * pinned certificate or to a CA anchor, or a path (signatures, CA basic constraints on every
 * issuer) to a CA anchor. Trust never comes from the message itself, only from `anchors`.
 * Returns the path (leaf first, anchor last); throws ERR_PKI_UNTRUSTED when no trust applies,
 * or ERR_PKI_CERT_EXPIRED / ERR_PKI_CERT_NOT_YET_VALID when the trusted path holds a
 * certificate outside its validity period at `at` (a valid path is preferred when there are
 * several).
 */
export function verifyChain(leaf: X509Certificate, options: VerifyChainOptions): X509Certificate[] {
  const { intermediates = [], at, maxDepth = 6 } = options;
  const { pinned, ca } = trustAnchors(options.anchors);
  if (pinned.some((p) => p.raw.equals(leaf.raw)) || ca.some((a) => a.raw.equals(leaf.raw))) {
    checkValidity([leaf], at);
    return [leaf];
  }
  const valid = validAt(leaf, at) && buildPath(leaf, ca, intermediates, maxDepth, (c) => validAt(c, at));
  if (valid) return valid;
  const any = buildPath(leaf, ca, intermediates, maxDepth, () => true);
  if (any) checkValidity(any, at);
  throw new PasserelleError(
    'ERR_PKI_UNTRUSTED',
    `Certificate "${subjectDn(leaf)}" is not trusted: it is not a pinned certificate and has no path to a trusted CA`,
    {
      hint: 'Pin this certificate, or add its issuing CA to the trust configured for this check.',
      details: { subject: subjectDn(leaf), fingerprint256: leaf.fingerprint256 },
    },
  );
}
