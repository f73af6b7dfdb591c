/**
 * The credentials a run presents: PSC tokens through the application's PSC, a token of a
 * foreign issuer signed by a key made for the run, and a client certificate of a self-made CA.
 * Nothing here outlives the run.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { SignJWT } from 'jose';
import { issueCertificate } from '../../pki/issue.ts';
import { generateKeyPair } from '../../pki/keys.ts';
import type { TokenKit } from './_context.ts';
import type { ConformancePsc, ConformanceTarget } from './runner-types.ts';

/** The other professional of the "token of another professional" case (fictitious RPPS, valid Luhn digit). */
export const OTHER_PROFESSIONAL = {
  idNat: '10009999994',
  mailbox: 'autre.professionnel@conformance.passerelle.invalid',
};
const FOREIGN_ISSUER = 'https://auth.non-psc.passerelle.invalid/auth/realms/esante-wallet';
const HOUR = 3600_000;

export function tokenKit(psc: ConformancePsc, target: ConformanceTarget, now: () => number): TokenKit {
  let valid: Promise<string> | undefined;
  const mint = (o: { idNat: string; mailbox: string; issuedAt?: number }) =>
    psc.mintToken({ ...o, expiresInSeconds: 300 });
  return {
    valid: () => {
      valid ??= mint({ idNat: target.idNat, mailbox: target.mailbox });
      return valid;
    },
    expired: () => mint({ idNat: target.idNat, mailbox: target.mailbox, issuedAt: now() - 2 * HOUR }),
    otherProfessional: () => mint(OTHER_PROFESSIONAL),
    foreign: async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const iat = Math.floor(now() / 1000);
      return new SignJWT({
        typ: 'Bearer',
        azp: 'passerelle-conformance',
        scope: 'openid scope_all',
        acr: 'eidas1',
        preferred_username: target.idNat,
        email: target.mailbox,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'non-psc' })
        .setIssuer(FOREIGN_ISSUER)
        .setSubject(target.idNat)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 300)
        .setJti(`non-psc-${iat}`)
        .sign(privateKey);
    },
    introspectionsOf: (token) => psc.introspectionsOf(token),
  };
}

/** A client certificate naming the mailbox, issued by a CA made for the run (so no operator trusts it). */
export async function untrustedClientCertificate(
  target: ConformanceTarget,
  now: Date,
): Promise<{ certPem: string; keyPem: string }> {
  const ca = await generateKeyPair('ec-p256');
  const leaf = await generateKeyPair('ec-p256');
  const notBefore = new Date(now.getTime() - HOUR);
  const notAfter = new Date(now.getTime() + 24 * HOUR);
  const caPem = await issueCertificate({
    subject: 'C=FR, O=Passerelle conformance (untrusted), CN=Untrusted test CA',
    publicKey: ca.publicKey,
    selfKey: ca.privateKey,
    usage: 'ca',
    notBefore,
    notAfter,
  });
  const mailbox = target.clientCertificateMailbox ?? target.mailbox;
  const certPem = await issueCertificate({
    subject: `C=FR, O=Passerelle conformance (untrusted), CN=${mailbox.replace(/[,+"\\<>;=]/g, '')}`,
    publicKey: leaf.publicKey,
    issuer: { certificate: new X509Certificate(caPem), privateKey: ca.privateKey },
    usage: 'tls-client',
    notBefore,
    notAfter,
  });
  return {
    certPem: certPem + caPem,
    keyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
