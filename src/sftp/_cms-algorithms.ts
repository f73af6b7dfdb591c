import type { KeyObject } from 'node:crypto';
import { PasserelleError } from '../errors.ts';

/** Digests of FS signatures: SHA-2 only (SHA-1 is deprecated by the platform, MD5 long broken). */
export type FsDigest = 'sha256' | 'sha384' | 'sha512';

/** RFC 5754 §2 (SHA-2 digest OIDs). */
export const DIGEST_OIDS: Readonly<Record<FsDigest, string>> = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const DIGEST_BY_OID = new Map(Object.entries(DIGEST_OIDS).map(([k, v]) => [v, k as FsDigest]));
export const DIGEST_LENGTH: Readonly<Record<FsDigest, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/** Names of refused algorithms, for messages: the OIDs people actually meet. */
const KNOWN_WEAK: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '1.2.840.113549.2.5': 'MD5',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS (not enabled)',
};

export const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
/** RFC 4055 §5 (RSA PKCS#1 v1.5 with SHA-2) and RFC 5758 §3.2 (ECDSA with SHA-2). */
const SIGNATURES: Readonly<Record<string, { key: 'rsa' | 'ec'; digest?: FsDigest }>> = {
  [RSA_ENCRYPTION]: { key: 'rsa' }, // what OpenSSL writes: the hash is the SignerInfo's digestAlgorithm
  '1.2.840.113549.1.1.11': { key: 'rsa', digest: 'sha256' },
  '1.2.840.113549.1.1.12': { key: 'rsa', digest: 'sha384' },
  '1.2.840.113549.1.1.13': { key: 'rsa', digest: 'sha512' },
  '1.2.840.10045.4.3.2': { key: 'ec', digest: 'sha256' },
  '1.2.840.10045.4.3.3': { key: 'ec', digest: 'sha384' },
  '1.2.840.10045.4.3.4': { key: 'ec', digest: 'sha512' },
};
const CURVES = new Set(['prime256v1', 'secp384r1']);
const MIN_RSA_BITS = 2048;

const refuse = (what: string, oid: string, reason?: string) =>
  new PasserelleError(
    'ERR_SFTP_SIGNATURE_ALGORITHM',
    `FS signature: ${what} ${KNOWN_WEAK[oid] ?? oid} is not allowed${reason ? ` (${reason})` : ''}; allowed: SHA-256/384/512 with RSA PKCS#1 v1.5 (≥ 2048 bits) or ECDSA P-256/P-384`,
    { details: { [what === 'digest' ? 'digestAlgorithm' : 'signatureAlgorithm']: oid } },
  );

/** Parameters of a digest or signature AlgorithmIdentifier: absent or NULL only. */
const plainParams = (params: ArrayBuffer | null | undefined) =>
  params == null || Buffer.from(params).equals(Buffer.from([0x05, 0x00]));

/** The digest named by a SignerInfo digestAlgorithm; ERR_SFTP_SIGNATURE_ALGORITHM otherwise. */
export function digestOf(oid: string, params?: ArrayBuffer | null): FsDigest {
  const digest = DIGEST_BY_OID.get(oid);
  if (!digest) throw refuse('digest', oid);
  if (!plainParams(params)) throw refuse('digest', oid, 'unexpected parameters');
  return digest;
}

/**
 * Checks a signature algorithm against the allow-list, the SignerInfo's digest and the signer's
 * public key (RSA ≥ 2048 bits, EC on P-256 or P-384). ERR_SFTP_SIGNATURE_ALGORITHM otherwise.
 */
export function checkSignatureAlgorithm(
  oid: string,
  params: ArrayBuffer | null | undefined,
  digest: FsDigest,
  key: KeyObject,
): 'rsa' | 'ec' {
  const alg = SIGNATURES[oid];
  if (!alg) throw refuse('signature algorithm', oid);
  if (alg.digest !== undefined && alg.digest !== digest)
    throw refuse('signature algorithm', oid, `its hash is not the digestAlgorithm ${digest}`);
  if (alg.key === 'ec' ? params != null : !plainParams(params))
    throw refuse('signature algorithm', oid, 'unexpected parameters');
  checkKey(key, alg.key, oid);
  return alg.key;
}

/** The key is of `kind` and strong enough; ERR_SFTP_SIGNATURE_ALGORITHM otherwise. */
export function checkKey(key: KeyObject, kind: 'rsa' | 'ec', oid: string): void {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType !== kind)
    throw refuse('signature algorithm', oid, `the signer key is ${String(key.asymmetricKeyType)}`);
  if (kind === 'rsa' && (details.modulusLength ?? 0) < MIN_RSA_BITS)
    throw refuse(
      'signature algorithm',
      oid,
      `RSA key of ${details.modulusLength} bits, at least ${MIN_RSA_BITS} required`,
    );
  if (kind === 'ec' && !CURVES.has(String(details.namedCurve)))
    throw refuse('signature algorithm', oid, `curve ${String(details.namedCurve)}, P-256 or P-384 required`);
}

/** The signature algorithm OID we write for a key kind and digest. */
export function signatureOid(kind: 'rsa' | 'ec', digest: FsDigest): string {
  const oid = Object.entries(SIGNATURES).find(([, a]) => a.key === kind && a.digest === digest)?.[0];
  if (!oid) throw new TypeError(`no signature algorithm for ${kind} with ${digest}`);
  return oid;
}
