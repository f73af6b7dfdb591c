import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { type Credential, credentialFrom } from '../pki/credential.ts';
import { issueCertificate } from '../pki/issue.ts';
import { rdnsToString } from '../pki/profiles.ts';
import type { SandboxFault } from './faults.ts';
import type { SandboxPki } from './module.ts';

const DAY = 86_400_000;

const subject = (ou: string, cn: string) =>
  rdnsToString([
    ['C', 'BE'],
    ['O', 'Passerelle Sandbox Faults'],
    ['OU', ou],
    ['CN', cn],
  ]);

/** A self-signed CA of its own, in memory: nothing the sandbox's clients trust. */
async function strangerCa(now: number): Promise<Credential> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = await issueCertificate({
    subject: subject('CA', 'Passerelle Sandbox Stranger CA'),
    publicKey,
    selfKey: privateKey,
    usage: 'ca',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
  });
  return credentialFrom(privateKey, [new X509Certificate(pem)]);
}

/** A TLS server certificate for localhost and 127.0.0.1 from `issuer`, valid from..to. */
async function serverCertificate(issuer: Credential, from: number, to: number): Promise<Credential> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = await issueCertificate({
    subject: subject('TLS', 'localhost'),
    publicKey,
    issuer: { certificate: issuer.certificate, privateKey: issuer.privateKey },
    usage: 'tls-server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: new Date(from),
    notAfter: new Date(to),
  });
  return credentialFrom(privateKey, [new X509Certificate(pem), issuer.certificate]);
}

/**
 * The PKI the modules see under the certificate faults (see faults.ts): another server
 * credential (expired, or from a stranger CA), or another CA for client certificates. The files
 * and the client configuration keep the real PKI. Without certificate faults: `pki` itself.
 */
export async function _faultPki(
  pki: SandboxPki,
  faults: ReadonlySet<SandboxFault>,
  clock: Clock,
): Promise<SandboxPki> {
  const now = clock.now();
  let { server, ca } = pki;
  if (faults.has('server-cert-expired'))
    server = await serverCertificate(pki.ca, now - 90 * DAY, now - 30 * DAY);
  if (faults.has('server-cert-untrusted'))
    server = await serverCertificate(await strangerCa(now), now - DAY, now + 365 * DAY);
  if (faults.has('client-cert-unknown')) ca = await strangerCa(now);
  return server === pki.server && ca === pki.ca ? pki : Object.freeze({ ...pki, server, ca });
}
