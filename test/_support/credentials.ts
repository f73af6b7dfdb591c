import type { X509Certificate } from 'node:crypto';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { type Credential, credentialFrom } from '../../src/pki/credential.ts';
import { type CertificateUsage, issueCertificate } from '../../src/pki/issue.ts';
import { generateKeyPair, type KeyType } from '../../src/pki/keys.ts';

/** The frozen "now" of the test suite; certificates below are valid around it. */
export const TEST_NOW = Date.parse('2026-06-15T10:00:00.000Z');
const NOT_BEFORE = new Date('2026-01-01T00:00:00Z');
const NOT_AFTER = new Date('2027-12-31T00:00:00Z');

export interface TestPki {
  readonly ca: Credential;
  /** A second, unrelated CA: what an attacker's certificates chain to. */
  readonly rogueCa: Credential;
  readonly rsa: Credential;
  readonly ec: Credential;
  readonly server: Credential;
  readonly rogue: Credential;
  issue(opts: {
    subject: string;
    usage: CertificateUsage;
    keyType?: KeyType;
    issuer?: Credential;
    notBefore?: Date;
    notAfter?: Date;
    dnsNames?: string[];
    ipAddresses?: string[];
  }): Promise<Credential>;
}

async function makeCa(cn: string): Promise<Credential> {
  const kp = await generateKeyPair('ec-p256');
  const pem = await issueCertificate({
    subject: `C=BE, O=Passerelle Test, CN=${cn}`,
    publicKey: kp.publicKey,
    selfKey: kp.privateKey,
    usage: 'ca',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
  });
  return credentialFrom(kp.privateKey, [new NodeX509(pem)]);
}

let cached: Promise<TestPki> | undefined;

/** A small PKI made once per test process (keys are generated, never checked in). */
export function testPki(): Promise<TestPki> {
  cached ??= (async () => {
    const ca = await makeCa('Passerelle Test CA');
    const rogueCa = await makeCa('Rogue CA');
    const issue: TestPki['issue'] = async (o) => {
      const issuer = o.issuer ?? ca;
      const kp = await generateKeyPair(o.keyType ?? 'rsa-2048');
      const pem = await issueCertificate({
        subject: o.subject,
        publicKey: kp.publicKey,
        issuer: { certificate: issuer.certificate, privateKey: issuer.privateKey },
        usage: o.usage,
        notBefore: o.notBefore ?? NOT_BEFORE,
        notAfter: o.notAfter ?? NOT_AFTER,
        ...(o.dnsNames ? { dnsNames: o.dnsNames } : {}),
        ...(o.ipAddresses ? { ipAddresses: o.ipAddresses } : {}),
      });
      return credentialFrom(kp.privateKey, [new NodeX509(pem) as X509Certificate]);
    };
    const app = (cn: string) =>
      `C=BE, O=Federal Government, OU=Test Institution, OU=urn:be:fgov:kbo-bce:organization:cbe-number:0123456749, CN=${cn}`;
    const [rsa, ec, server, rogue] = await Promise.all([
      issue({ subject: app('urn:be:test:app:rsa'), usage: 'tls-client-signing', keyType: 'rsa-2048' }),
      issue({ subject: app('urn:be:test:app:ec'), usage: 'tls-client-signing', keyType: 'ec-p256' }),
      issue({
        subject: 'C=BE, O=Passerelle Test, CN=localhost',
        usage: 'tls-server',
        keyType: 'ec-p256',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
      }),
      issue({
        subject: app('urn:be:test:app:rogue'),
        usage: 'tls-client-signing',
        keyType: 'rsa-2048',
        issuer: rogueCa,
      }),
    ]);
    return { ca, rogueCa, rsa, ec, server, rogue, issue };
  })();
  return cached;
}

/**
 * Two TLS+signing credentials of the test CA outside their validity period at TEST_NOW: one that
 * expired on 2026-06-01, one valid only from 2026-07-01.
 */
export async function outOfDateCredentials(pki: TestPki) {
  const [expired, early] = await Promise.all([
    pki.issue({
      subject: 'C=BE, O=Federal Government, CN=urn:be:test:app:expired',
      usage: 'tls-client-signing',
      notAfter: new Date('2026-06-01T00:00:00Z'),
    }),
    pki.issue({
      subject: 'C=BE, O=Federal Government, CN=urn:be:test:app:early',
      usage: 'tls-client-signing',
      notBefore: new Date('2026-07-01T00:00:00Z'),
    }),
  ]);
  return { expired, early };
}
