import type { KeyObject, X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { subjectDn } from './dn.ts';

export type KeyKind = 'rsa' | 'ec';

/**
 * A loaded credential: a private key and its certificate chain. Shared by every layer that
 * signs or authenticates (wss, transport, oauth, sts). Never log or serialise it.
 */
export interface Credential {
  readonly privateKey: KeyObject;
  /** The end-entity certificate matching `privateKey`. */
  readonly certificate: X509Certificate;
  /** Intermediate certificates that came with it, leaf excluded, nearest first. */
  readonly chain: readonly X509Certificate[];
  readonly keyKind: KeyKind;
  /** Leaf then chain, PEM; for TLS client authentication. */
  readonly certPem: string;
  /** Unencrypted PKCS#8 PEM, held in memory only for the TLS stack. Never written anywhere. */
  readonly keyPem: string;
  /** Where it was loaded from (file names, never content), for messages; absent when built in memory. */
  readonly source?: string;
}

/**
 * Builds a credential from a private key and its certificate chain (leaf first), checking that
 * the key matches the leaf; `source` names the file(s) it came from. Throws ERR_PKI_KEY_MISMATCH /
 * ERR_PKI_UNSUPPORTED_KEY.
 */
export function credentialFrom(
  privateKey: KeyObject,
  certificates: readonly X509Certificate[],
  source?: string,
): Credential {
  const [certificate, ...chain] = certificates;
  if (!certificate)
    throw new PasserelleError('ERR_PKI_NO_CERT', 'No certificate was given with the private key');
  const kind = privateKey.asymmetricKeyType;
  if (kind !== 'rsa' && kind !== 'ec') {
    throw new PasserelleError(
      'ERR_PKI_UNSUPPORTED_KEY',
      `Unsupported key type ${String(kind)}: use RSA (≥ 2048 bits) or EC P-256`,
      {
        details: { keyType: String(kind) },
      },
    );
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new PasserelleError(
      'ERR_PKI_KEY_MISMATCH',
      `The private key does not match the certificate "${subjectDn(certificate)}"`,
      {
        hint: 'Pair the key with the certificate issued for it (compare their public keys).',
        details: { subject: subjectDn(certificate) },
      },
    );
  }
  return Object.freeze({
    privateKey,
    certificate,
    chain: Object.freeze([...chain]),
    keyKind: kind,
    certPem: certificates.map((c) => c.toString()).join(''),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...(source === undefined ? {} : { source }),
  });
}
