import type { KeyObject, X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { type Credential, credentialFrom } from './credential.ts';

export interface KeyEntry {
  readonly key: KeyObject;
  readonly localKeyId?: string;
}
export interface CertEntry {
  readonly certificate: X509Certificate;
  readonly localKeyId?: string;
}

/**
 * Pairs a private key with its certificate (same localKeyId first, then any certificate whose
 * public key matches) and orders the other certificates as a chain from the leaf upwards.
 * Throws ERR_PKI_NO_KEY, ERR_PKI_NO_CERT or ERR_PKI_KEY_MISMATCH.
 */
export function assembleCredential(
  keys: readonly KeyEntry[],
  certs: readonly CertEntry[],
  source: string,
): Credential {
  const [firstKey] = keys;
  if (!firstKey) {
    throw new PasserelleError('ERR_PKI_NO_KEY', `${source} contains no private key`, {
      hint: 'Export the keystore with its private key (openssl pkcs12 -export -inkey KEY -in CERT), or configure { cert, key } PEM files.',
      details: { source },
    });
  }
  const [firstCert] = certs;
  if (!firstCert) {
    throw new PasserelleError('ERR_PKI_NO_CERT', `${source} contains no certificate`, {
      hint: 'Include the certificate (and its chain) when exporting the keystore.',
      details: { source },
    });
  }
  for (const k of keys) {
    const matches = (c: CertEntry) => safeCheck(c.certificate, k.key);
    const leaf =
      certs.find((c) => k.localKeyId !== undefined && c.localKeyId === k.localKeyId && matches(c)) ??
      certs.find(matches);
    if (leaf)
      return credentialFrom(
        k.key,
        orderChain(
          leaf.certificate,
          certs.map((c) => c.certificate),
        ),
        source,
      );
  }
  // No pair: let credentialFrom produce the KEY_MISMATCH error for the first key and certificate.
  return credentialFrom(firstKey.key, [firstCert.certificate], source);
}

function safeCheck(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** Leaf first, then each issuer found among `all`, then any remaining certificates. */
export function orderChain(leaf: X509Certificate, all: readonly X509Certificate[]): X509Certificate[] {
  const path = [leaf];
  const rest = all.filter((c) => !c.raw.equals(leaf.raw));
  let current = leaf;
  for (;;) {
    const idx = rest.findIndex((c) => current.issuer === c.subject && !current.raw.equals(c.raw));
    if (idx < 0 || current.issuer === current.subject) break;
    const [next] = rest.splice(idx, 1);
    if (!next) break;
    path.push(next);
    current = next;
  }
  return [...path, ...rest];
}
