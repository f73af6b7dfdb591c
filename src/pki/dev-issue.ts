import { X509Certificate } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { type Credential, credentialFrom } from './credential.ts';
import type { DevCa } from './dev-ca.ts';
import { type CertificateUsage, issueCertificate } from './issue.ts';
import { generateKeyPair, type KeyType } from './keys.ts';
import { type Rdn, rdnsToString } from './profiles.ts';

const DAY = 86_400_000;

export interface IssueDevCertificateOptions {
  /** tls-server, tls-client, signing or tls-client-signing (both). */
  readonly usage: Exclude<CertificateUsage, 'ca'>;
  /** The subject: RDNs in DER order (e.g. from profileSubject) or an escaped one-line DN. */
  readonly subject: readonly Rdn[] | string;
  /** Default ec-p256. */
  readonly keyType?: KeyType;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Default 365. */
  readonly validityDays?: number;
  readonly clock: Clock;
}

/**
 * Issues a certificate from the development CA with a fresh key. Returns the credential with
 * the CA certificate as its chain (so a .p12 written from it carries the CA too). Validity
 * starts one hour before `clock.now()`.
 */
export async function issueDevCertificate(
  ca: DevCa,
  options: IssueDevCertificateOptions,
): Promise<Credential> {
  const { usage, subject, keyType = 'ec-p256', validityDays = 365, clock } = options;
  const kp = await generateKeyPair(keyType);
  const now = clock.now();
  const pem = await issueCertificate({
    subject: typeof subject === 'string' ? subject : rdnsToString(subject),
    publicKey: kp.publicKey,
    issuer: { certificate: ca.credential.certificate, privateKey: ca.credential.privateKey },
    usage,
    ...(options.dnsNames ? { dnsNames: options.dnsNames } : {}),
    ...(options.ipAddresses ? { ipAddresses: options.ipAddresses } : {}),
    notBefore: new Date(now - DAY / 24),
    notAfter: new Date(now + validityDays * DAY),
  });
  return credentialFrom(kp.privateKey, [new X509Certificate(pem), ca.credential.certificate]);
}
