import { createHash, type KeyObject, randomBytes, webcrypto, type X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { signingAlgorithm, toCryptoPrivateKey, toCryptoPublicKey } from './keys.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type CertificateUsage = 'ca' | 'tls-server' | 'tls-client' | 'signing' | 'tls-client-signing';

export interface IssueCertificateOptions {
  /** Distinguished name, RFC 4514 order as @peculiar/x509 reads it, e.g. "C=BE, O=..., CN=...". */
  readonly subject: string;
  readonly publicKey: KeyObject;
  /** The issuing CA; omit for a self-signed certificate (then `selfKey` signs). */
  readonly issuer?: { readonly certificate: X509Certificate; readonly privateKey: KeyObject };
  readonly selfKey?: KeyObject;
  readonly usage: CertificateUsage;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Hex serial; random 16 bytes (positive) by default. */
  readonly serialNumber?: string;
}

/**
 * Issues an X.509 v3 certificate with extensions fitting its usage (SHA-256 signature, key
 * identifiers, basic constraints, key usage, extended key usage, SANs). Returns it as PEM.
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<string> {
  const { subject, publicKey, issuer, usage, notBefore, notAfter } = options;
  const signerKey = issuer?.privateKey ?? options.selfKey;
  if (!signerKey) throw new TypeError('issueCertificate: give an issuer or a selfKey');
  const signingKey = await toCryptoPrivateKey(signerKey);
  const subjectKey = await toCryptoPublicKey(publicKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ski = createHash('sha1').update(spkiBitString(spki)).digest('hex');

  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(usage === 'ca', usage === 'ca' ? 1 : undefined, true),
    new x509.SubjectKeyIdentifierExtension(ski),
  ];
  const KU = x509.KeyUsageFlags;
  const EKU = x509.ExtendedKeyUsage;
  switch (usage) {
    case 'ca':
      extensions.push(new x509.KeyUsagesExtension(KU.keyCertSign | KU.cRLSign | KU.digitalSignature, true));
      break;
    case 'tls-server':
      extensions.push(new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyEncipherment, true));
      extensions.push(new x509.ExtendedKeyUsageExtension([EKU.serverAuth], false));
      break;
    case 'tls-client':
      extensions.push(new x509.KeyUsagesExtension(KU.digitalSignature | KU.keyEncipherment, true));
      extensions.push(new x509.ExtendedKeyUsageExtension([EKU.clientAuth], false));
      break;
    case 'tls-client-signing':
      extensions.push(
        new x509.KeyUsagesExtension(KU.digitalSignature | KU.nonRepudiation | KU.keyEncipherment, true),
      );
      extensions.push(new x509.ExtendedKeyUsageExtension([EKU.clientAuth], false));
      break;
    case 'signing':
      extensions.push(new x509.KeyUsagesExtension(KU.digitalSignature | KU.nonRepudiation, true));
      break;
  }
  if (issuer) {
    const issuerSki =
      issuer.certificate.raw &&
      new x509.X509Certificate(issuer.certificate.raw).getExtension(x509.SubjectKeyIdentifierExtension);
    if (issuerSki) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId));
  }
  const names: x509.JsonGeneralName[] = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));

  const serial = options.serialNumber ?? `01${randomBytes(15).toString('hex')}`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: issuer ? new x509.X509Certificate(issuer.certificate.raw).subject : subject,
    notBefore,
    notAfter,
    publicKey: subjectKey,
    signingKey,
    signingAlgorithm: signingAlgorithm(signingKey),
    extensions,
  });
  return cert.toString('pem').replace(/\r\n/g, '\n').trimEnd() + '\n';
}

/** The subjectPublicKey BIT STRING contents inside a DER SubjectPublicKeyInfo (RFC 5280 §4.2.1.2 method 1). */
function spkiBitString(spki: Buffer): Buffer {
  const seqLen = readLength(spki, 1);
  let offset = seqLen.next;
  const algLen = readLength(spki, offset + 1);
  offset = algLen.next + algLen.length;
  const bitLen = readLength(spki, offset + 1);
  return spki.subarray(bitLen.next + 1, bitLen.next + bitLen.length);
}

function readLength(buf: Buffer, at: number): { length: number; next: number } {
  const first = buf[at]!;
  if (first < 0x80) return { length: first, next: at + 1 };
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = (length << 8) | buf[at + 1 + i]!;
  return { length, next: at + 1 + n };
}
