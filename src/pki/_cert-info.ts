import type { KeyObject, X509Certificate } from 'node:crypto';
import { childAt, oidOf, parseDer } from './_asn1.ts';

export interface KeyInfo {
  readonly type: string;
  readonly bits?: number;
  readonly curve?: string;
  /** e.g. "RSA 2048", "EC P-256". */
  readonly label: string;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export function describeKey(key: KeyObject): KeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const d = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    return {
      type,
      ...(d.modulusLength ? { bits: d.modulusLength } : {}),
      label: `RSA ${d.modulusLength ?? '?'}`,
    };
  }
  if (type === 'ec') {
    const curve = CURVES[d.namedCurve ?? ''] ?? d.namedCurve ?? 'unknown';
    return { type, curve, label: `EC ${curve}` };
  }
  return { type, label: type.toUpperCase() };
}

const SIGNATURES: Record<string, { name: string; weak: boolean }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weak: true },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', weak: true },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weak: true },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', weak: true },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', weak: false },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', weak: false },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', weak: false },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', weak: false },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', weak: false },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', weak: false },
};

/** The certificate's signature algorithm (outer AlgorithmIdentifier), and whether it is broken. */
export function signatureAlgorithm(cert: X509Certificate): { oid: string; name: string; weak: boolean } {
  const oid = oidOf(
    childAt(childAt(parseDer(cert.raw, 'certificate'), 1, 'signatureAlgorithm'), 0, 'algorithm'),
    'algorithm',
  );
  const known = SIGNATURES[oid];
  return { oid, name: known?.name ?? oid, weak: known?.weak ?? false };
}
