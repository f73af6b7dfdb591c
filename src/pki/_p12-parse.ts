import { createHmac, createPrivateKey, type KeyObject, timingSafeEqual, X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import {
  type Asn1,
  Asn1Error,
  bytesOf,
  childAt,
  childrenOf,
  explicit0,
  intOf,
  OID,
  oidOf,
  parseDer,
  textOf,
  toDer,
} from './_asn1.ts';
import {
  DecryptError,
  decryptContent,
  describeAlgorithm,
  UnsupportedAlgorithmError,
} from './_p12-decrypt.ts';
import { hashForOid, pkcs12Kdf } from './_pkcs12-kdf.ts';

export interface P12Bag {
  /** 'other': a bag type the platforms do not use (secret, CRL, nested SafeContents). */
  readonly kind: 'key' | 'cert' | 'other';
  /** Bag type OID. */
  readonly bagType: string;
  readonly friendlyName?: string;
  /** Hex. */
  readonly localKeyId?: string;
  readonly key?: KeyObject;
  readonly certificate?: X509Certificate;
  /** How the bag (key) or its SafeContents (certificate) is encrypted; 'none' when in clear. */
  readonly encryption: string;
}

export interface ParsedP12 {
  readonly mac: { readonly algorithm: string; readonly iterations: number } | null;
  readonly bags: readonly P12Bag[];
}

/**
 * Reads a PKCS#12 (PFX) keystore: verifies the password MAC first (a wrong password is reported
 * as such), then decrypts the SafeContents and key bags. Certificates are returned byte-exact.
 * Throws ERR_PKI_KEYSTORE_CORRUPT, ERR_PKI_BAD_PASSWORD or ERR_PKI_UNSUPPORTED_FORMAT; messages
 * name the source, never the password.
 */
export function parsePkcs12(der: Buffer, password: string, source: string): ParsedP12 {
  try {
    return parse(der, password);
  } catch (cause) {
    if (cause instanceof PasserelleError) throw cause;
    if (cause instanceof DecryptError) throw badPassword(source, cause);
    if (cause instanceof UnsupportedAlgorithmError) {
      throw new PasserelleError(
        'ERR_PKI_UNSUPPORTED_FORMAT',
        `${source} uses a PKCS#12 feature that is not supported: ${cause.message}`,
        {
          hint: 'Re-export it with OpenSSL 3 defaults: openssl pkcs12 -export (AES-256, HMAC-SHA256), or with -legacy.',
          details: { source },
          cause,
        },
      );
    }
    throw new PasserelleError(
      'ERR_PKI_KEYSTORE_CORRUPT',
      `${source} is not a readable PKCS#12 keystore (corrupt or truncated)`,
      {
        hint: 'Check that the file is a complete .p12/.pfx (binary, not base64 text) and re-export it if needed.',
        details: { source, reason: cause instanceof Error ? cause.message : 'parse error' },
        cause,
      },
    );
  }
}

function badPassword(source: string, cause?: unknown): PasserelleError {
  return new PasserelleError(
    'ERR_PKI_BAD_PASSWORD',
    `Wrong password for ${source} (or the keystore was altered)`,
    {
      hint: 'Check the password file or environment variable named in the configuration (--password-file / --password-env).',
      details: { source },
      cause,
    },
  );
}

function parse(der: Buffer, password: string): ParsedP12 {
  const pfx = parseDer(der, 'PFX');
  const [version, authSafe, macData] = childrenOf(pfx, 'PFX');
  if (intOf(version, 'PFX version') !== 3) throw new Asn1Error('PFX version is not 3');
  if (oidOf(childAt(authSafe, 0, 'authSafe'), 'authSafe contentType') !== OID.data) {
    throw new UnsupportedAlgorithmError('public-key integrity mode (only password integrity is supported)');
  }
  const content = bytesOf(explicit0(childAt(authSafe, 1, 'authSafe'), 'authSafe content'), 'authSafe data');
  const mac = macData ? verifyMac(macData, content, password) : null;
  const bags: P12Bag[] = [];
  for (const info of childrenOf(parseDer(content, 'AuthenticatedSafe'), 'AuthenticatedSafe')) {
    const type = oidOf(childAt(info, 0, 'ContentInfo'), 'ContentInfo type');
    const body = explicit0(childAt(info, 1, 'ContentInfo'), 'ContentInfo content');
    if (type === OID.data) {
      bags.push(...readSafeContents(bytesOf(body, 'SafeContents'), password, 'none'));
    } else if (type === OID.encryptedData) {
      const eci = childAt(body, 1, 'EncryptedContentInfo');
      const alg = childAt(eci, 1, 'contentEncryptionAlgorithm');
      const ciphertext = bytesOf(childAt(eci, 2, 'encryptedContent'), 'encryptedContent');
      bags.push(
        ...readSafeContents(decryptContent(alg, ciphertext, password), password, describeAlgorithm(alg)),
      );
    } else {
      throw new UnsupportedAlgorithmError(`ContentInfo type ${type}`);
    }
  }
  return { mac, bags };
}

function verifyMac(
  macData: Asn1,
  content: Buffer,
  password: string,
): { algorithm: string; iterations: number } {
  const digestInfo = childAt(macData, 0, 'MacData');
  const algOid = oidOf(childAt(childAt(digestInfo, 0, 'DigestInfo'), 0, 'digestAlgorithm'), 'MAC algorithm');
  const hash = hashForOid(algOid);
  if (!hash) throw new UnsupportedAlgorithmError(`MAC algorithm ${algOid}`);
  const expected = bytesOf(childAt(digestInfo, 1, 'DigestInfo'), 'MAC digest');
  const salt = bytesOf(childAt(macData, 1, 'MacData'), 'MAC salt');
  const iterNode = childrenOf(macData, 'MacData')[2];
  const iterations = iterNode ? intOf(iterNode, 'MAC iterations') : 1;
  if (iterations < 1 || iterations > 10_000_000) throw new Asn1Error('MAC iteration count out of range');
  const keyLength = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[hash];
  const key = pkcs12Kdf(password, salt, 3, iterations, keyLength, hash);
  const actual = createHmac(hash, key).update(content).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    throw new DecryptError('MAC mismatch');
  return { algorithm: `HMAC-${hash.toUpperCase()}`, iterations };
}

function readSafeContents(der: Buffer, password: string, containerEncryption: string): P12Bag[] {
  return childrenOf(parseDer(der, 'SafeContents'), 'SafeContents').map((bag) => {
    const type = oidOf(childAt(bag, 0, 'SafeBag'), 'SafeBag type');
    const value = explicit0(childAt(bag, 1, 'SafeBag'), 'SafeBag value');
    const attrs = readAttributes(childrenOf(bag, 'SafeBag')[2]);
    if (type === OID.certBag) {
      if (oidOf(childAt(value, 0, 'CertBag'), 'CertBag type') !== OID.x509Certificate) {
        throw new UnsupportedAlgorithmError('a non-X.509 certificate bag');
      }
      const certDer = bytesOf(explicit0(childAt(value, 1, 'CertBag'), 'CertBag value'), 'certificate');
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(certDer);
      } catch (cause) {
        throw new Asn1Error(
          `a certificate cannot be parsed (${cause instanceof Error ? cause.message : ''})`,
        );
      }
      return { kind: 'cert' as const, bagType: type, ...attrs, certificate, encryption: containerEncryption };
    }
    if (type === OID.shroudedKeyBag || type === OID.keyBag) {
      let pkcs8 = toDer(value);
      let encryption = containerEncryption;
      if (type === OID.shroudedKeyBag) {
        const alg = childAt(value, 0, 'EncryptedPrivateKeyInfo');
        encryption = describeAlgorithm(alg);
        pkcs8 = decryptContent(
          alg,
          bytesOf(childAt(value, 1, 'EncryptedPrivateKeyInfo'), 'encryptedData'),
          password,
        );
      }
      let key: KeyObject;
      try {
        key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      } catch {
        throw new DecryptError('the decrypted private key is not a PKCS#8 structure');
      }
      return { kind: 'key' as const, bagType: type, ...attrs, key, encryption };
    }
    return { kind: 'other' as const, bagType: type, ...attrs, encryption: containerEncryption };
  });
}

function readAttributes(attrSet: Asn1 | undefined): { friendlyName?: string; localKeyId?: string } {
  const out: { friendlyName?: string; localKeyId?: string } = {};
  if (!attrSet) return out;
  for (const attr of childrenOf(attrSet, 'bag attributes')) {
    const id = oidOf(childAt(attr, 0, 'attribute'), 'attribute type');
    const first = childrenOf(childAt(attr, 1, 'attribute values'), 'attribute values')[0];
    if (!first) continue;
    if (id === OID.friendlyName) out.friendlyName = textOf(first, 'friendlyName');
    if (id === OID.localKeyId) out.localKeyId = bytesOf(first, 'localKeyId').toString('hex');
  }
  return out;
}
