import { createPublicKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { credentialRef } from '../../config/environment.ts';
import { verifyChain } from '../../pki/chain.ts';
import { checkCertificate } from '../../pki/check-certificate.ts';
import { type Credential, credentialFrom } from '../../pki/credential.ts';
import { type CreatedCsr, createCsr } from '../../pki/csr.ts';
import { issueCertificate } from '../../pki/issue.ts';
import { loadCredential } from '../../pki/load-credential.ts';
import { writeCredentialFiles } from '../../pki/write-credential-files.ts';
import { writeSecretFile } from '../../secret-file.ts';
import { demoExpect } from '../_expect.ts';
import type { DemoContext, DemoStep } from '../step.ts';

const DAY = 86_400_000;
const APP = 'urn:be:fgov:ehealth:sandbox:demo';

/** The dev CA signs a CSR after checking its self-signature: what the platform CA does. */
async function issueFromCsr(ctx: DemoContext, csrPem: string): Promise<{ pem: string; subject: string }> {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  demoExpect(await csr.verify(), 'the CSR self-signature verifies');
  const publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  const now = ctx.clock.now();
  const pem = await issueCertificate({
    subject: csr.subject,
    publicKey,
    issuer: { certificate: ctx.sandbox.pki.ca.certificate, privateKey: ctx.sandbox.pki.ca.privateKey },
    usage: 'tls-client-signing',
    notBefore: new Date(now - DAY / 24),
    notAfter: new Date(now + 365 * DAY),
  });
  return { pem, subject: csr.subject };
}

/**
 * Flow "certificates" (issue 2): CSR → the dev CA issues the certificate → the certificate
 * check passes → the credential round-trips through a .p12 and the partner keystores of the
 * sandbox's client configuration load.
 */
export function pkiSteps(): DemoStep[] {
  let csr: CreatedCsr | undefined;
  let issued: Credential | undefined;
  return [
    {
      id: 'pki.csr',
      title: 'Create a key pair and a CSR with the eBox profile subject',
      async run(ctx) {
        const { cbe, institution } = ctx.sandbox.pki.partner;
        csr = await createCsr({
          profile: 'ebox',
          cbe,
          institution,
          app: APP,
          env: 'SIM',
          keyType: 'rsa-2048',
        });
        writeFileSync(join(ctx.workDir, 'demo.csr'), csr.csrPem);
        const parsed = new x509.Pkcs10CertificateRequest(csr.csrPem);
        demoExpect(await parsed.verify(), 'the CSR self-signature verifies');
        demoExpect(parsed.subject.includes(`cbe-number:${cbe}`), 'the subject carries the CBE as OU');
        demoExpect(parsed.subject.endsWith(`CN=${APP}`), 'the subject CN is the application URN');
        demoExpect(csr.privateKey.asymmetricKeyDetails?.modulusLength === 2048, 'the key is RSA-2048');
        return {
          checks: [
            'the CSR self-signature verifies (SHA-256)',
            `subject ${csr.subject}`,
            'the key is RSA-2048',
          ],
        };
      },
    },
    {
      id: 'pki.issue',
      title: 'The development CA issues the certificate',
      dependsOn: ['pki.csr'],
      async run(ctx) {
        demoExpect(csr, 'a CSR from the previous step');
        const { pem, subject } = await issueFromCsr(ctx, csr.csrPem);
        writeFileSync(join(ctx.workDir, 'demo.crt'), pem);
        const cert = new X509Certificate(pem);
        issued = credentialFrom(csr.privateKey, [cert, ctx.sandbox.pki.ca.certificate]);
        verifyChain(cert, { anchors: [ctx.sandbox.pki.ca.certificate], at: ctx.clock.now() });
        demoExpect(
          new x509.X509Certificate(pem).subject === subject,
          'the certificate subject is the CSR subject',
        );
        return {
          checks: [
            'the certificate chains to the sandbox CA and is valid now',
            'its subject is the one requested',
            'its public key matches the private key of the CSR',
          ],
        };
      },
    },
    {
      id: 'pki.check',
      title: 'The certificate check passes (profile ebox, chain to the sandbox CA)',
      dependsOn: ['pki.issue'],
      async run(ctx) {
        demoExpect(issued, 'a certificate from the previous step');
        const findings = checkCertificate(issued.certificate, {
          profile: 'ebox',
          caBundle: [ctx.sandbox.pki.ca.certificate],
          now: ctx.clock.now(),
        });
        const errors = findings.filter((f) => f.severity === 'error');
        demoExpect(
          errors.length === 0,
          `no error finding (${errors.map((f) => `${f.id}: ${f.message}`).join('; ')})`,
        );
        return {
          checks: [
            ...findings.filter((f) => f.severity === 'info').map((f) => f.message),
            ...findings.filter((f) => f.severity === 'warning').map((f) => `warning: ${f.message}`),
          ],
        };
      },
    },
    {
      id: 'pki.p12',
      title: 'The credential loads from a .p12 keystore',
      dependsOn: ['pki.issue'],
      async run(ctx) {
        demoExpect(issued, 'a certificate from the previous step');
        const passwordFile = join(ctx.workDir, 'demo.password');
        await writeSecretFile(passwordFile, 'demo-password\n');
        const files = await writeCredentialFiles(ctx.workDir, 'demo', issued, { password: 'demo-password' });
        const loaded = await loadCredential({ p12: files.p12Path, password: { file: passwordFile } });
        demoExpect(
          loaded.certificate.fingerprint256 === issued.certificate.fingerprint256,
          'the .p12 holds the issued certificate',
        );
        demoExpect(
          loaded.chain.some((c) => c.raw.equals(ctx.sandbox.pki.ca.certificate.raw)),
          'the .p12 carries the CA certificate',
        );
        const partner = await loadCredential(credentialRef(ctx.environment, 'tls'));
        demoExpect(
          partner.certificate.fingerprint256 === ctx.sandbox.pki.partner.tls.certificate.fingerprint256,
          'the partner TLS keystore of the client config loads',
        );
        return {
          checks: [
            'the .p12 (PBES2/AES-256, HMAC-SHA256) loads with its password file',
            'the key matches the certificate; the CA certificate comes with it',
            'the partner TLS keystore named by the sandbox client config loads',
          ],
        };
      },
    },
  ];
}
