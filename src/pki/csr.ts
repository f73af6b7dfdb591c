import { type KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { formatDn } from './dn.ts';
import { generateKeyPair, type KeyType, signingAlgorithm } from './keys.ts';
import { type ProfileEnv, type ProfileName, profileSubject, rdnsToName } from './profiles.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface CreateCsrOptions {
  readonly profile: ProfileName;
  /** Institution CBE/KBO number (validated, ERR_IDS_CBE_INVALID). */
  readonly cbe: string;
  readonly institution: string;
  /** Application URN (the subject CN). */
  readonly app: string;
  readonly env?: ProfileEnv;
  /** Default rsa-2048, what the platforms' CAs accept everywhere. */
  readonly keyType?: KeyType;
}

export interface CreatedCsr {
  /** PKCS#10 request, PEM, signed with SHA-256 by the new key. */
  readonly csrPem: string;
  /** The new private key; the caller stores it encrypted (see encryptedKeyPem). */
  readonly privateKey: KeyObject;
  /** The subject, as an RFC 4514 distinguished name (most specific RDN first). */
  readonly subject: string;
}

/**
 * Generates a key pair and a certificate signing request whose subject follows the profile
 * (see profiles.ts). Throws ERR_IDS_CBE_INVALID or ERR_PKI_PROFILE_INVALID for bad input.
 */
export async function createCsr(options: CreateCsrOptions): Promise<CreatedCsr> {
  const { profile, cbe, institution, app, env, keyType = 'rsa-2048' } = options;
  const rdns = profileSubject(profile, { cbe, institution, app, ...(env ? { env } : {}) });
  const pair = await generateKeyPair(keyType);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: rdnsToName(rdns),
    keys: pair.crypto,
    signingAlgorithm: signingAlgorithm(pair.crypto.privateKey),
  });
  return {
    csrPem: `${csr.toString('pem').replace(/\r\n/g, '\n').trimEnd()}\n`,
    privateKey: pair.privateKey,
    subject: formatDn(rdns.map(([type, value]) => [{ type, value }])),
  };
}
