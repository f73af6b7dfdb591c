import type { KeyObject, X509Certificate } from 'node:crypto';

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
}
