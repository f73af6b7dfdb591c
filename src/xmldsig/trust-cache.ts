import { X509Certificate } from 'node:crypto';
import { verifyChain } from '../pki/chain.ts';
import { type Trust, trustAnchors } from '../pki/trust.ts';

/**
 * Small bounded caches for what verification recomputes on every message from the same peer:
 * the parsed BinarySecurityToken certificate, and the chain built for it. A cached chain is
 * only reused while every certificate on it is valid at the verification time, its anchor is
 * still one of the caller's anchors and its intermediates are still among the caller's
 * intermediates; otherwise verifyChain runs again. Links of a chain (signatures, CA
 * constraints) are facts of immutable certificates, so reusing them is exact.
 */
const MAX = 256;
const certificates = new Map<string, X509Certificate>();
const paths = new Map<X509Certificate, { path: X509Certificate[]; windows: [number, number][] }>();

function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX) map.delete(map.keys().next().value as K);
  return value;
}

/** The certificate of these DER bytes, parsed once (throws as the X509Certificate constructor). */
export function cachedCertificate(der: Buffer): X509Certificate {
  const key = der.toString('base64');
  const hit = certificates.get(key);
  return hit ? remember(certificates, key, hit) : remember(certificates, key, new X509Certificate(der));
}

const byText = new Map<string, X509Certificate>();
/** The text of the last lookup and its certificate: already last in byText, no reordering needed. */
let lastText: string | undefined;
let lastCertificate: X509Certificate | undefined;

/**
 * The certificate an element's base64 `text` holds, looked up by that exact text: `make` (which
 * validates, decodes and parses it, and throws when it cannot) runs only for a text not seen
 * among the last few hundred that made a certificate. A hit skips decoding, not a check: the very
 * same text passed them before.
 */
export function cachedCertificateOfText(
  text: string | undefined,
  make: () => X509Certificate,
): X509Certificate {
  if (text === undefined) return make();
  if (text === lastText && lastCertificate !== undefined) return lastCertificate;
  const hit = byText.get(text);
  lastCertificate = remember(byText, text, hit ?? make());
  lastText = text;
  return lastCertificate;
}

export interface TrustOptions {
  readonly anchors: Trust;
  readonly intermediates: readonly X509Certificate[];
  readonly at: number;
}

/**
 * verifyChain with reuse of a previously built path (see above). Throws ERR_PKI_UNTRUSTED,
 * ERR_PKI_CERT_EXPIRED or ERR_PKI_CERT_NOT_YET_VALID.
 */
export function trustedPath(leaf: X509Certificate, options: TrustOptions): X509Certificate[] {
  const { anchors, intermediates, at } = options;
  const hit = paths.get(leaf);
  if (hit?.windows.every(([from, to]) => from <= at && at <= to)) {
    const { path } = hit;
    const anchor = path[path.length - 1]!;
    const { pinned, ca } = trustAnchors(anchors);
    const anchored =
      path.length === 1
        ? pinned.some((a) => a.raw.equals(leaf.raw)) || ca.some((a) => a.raw.equals(leaf.raw))
        : ca.includes(anchor);
    if (anchored && path.slice(1, -1).every((c) => intermediates.includes(c))) return path;
  }
  const path = verifyChain(leaf, { anchors, intermediates, at });
  remember(paths, leaf, {
    path,
    windows: path.map((c) => [new Date(c.validFrom).getTime(), new Date(c.validTo).getTime()]),
  });
  return path;
}
