import type { X509Certificate } from 'node:crypto';
import {
  Attribute,
  id_contentType,
  id_messageDigest,
  id_signingTime,
  type SignerInfo,
} from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { type Certificate, SubjectKeyIdentifier, Time } from '@peculiar/asn1-x509';
import { PasserelleError } from '../errors.ts';
import { DIGEST_LENGTH, type FsDigest } from './_cms-algorithms.ts';
import { DerError, readWhole, setOf, tlv } from './_cms-der.ts';
import { ID_DATA_DER, type ParsedFs } from './_cms-parse.ts';

export const invalid = (reason: string) =>
  new PasserelleError('ERR_SFTP_SIGNATURE_INVALID', `The FS signature does not verify: ${reason}`, {
    details: { reason },
  });

/**
 * The signed attributes we write (RFC 5652 §11.1–§11.3): contentType id-data, signingTime,
 * messageDigest. Returns them decoded (DER order) and as the DER SET OF the signature covers.
 */
export function buildSignedAttributes(
  digest: Buffer,
  signingTime: Date,
): { attrs: Attribute[]; der: Buffer } {
  const attrs = [
    new Attribute({ attrType: id_contentType, attrValues: [toArrayBuffer(ID_DATA_DER)] }),
    new Attribute({ attrType: id_signingTime, attrValues: [AsnConvert.serialize(new Time(signingTime))] }),
    new Attribute({ attrType: id_messageDigest, attrValues: [toArrayBuffer(tlv(0x04, digest))] }),
  ];
  const encoded = attrs.map((a) => ({ a, der: Buffer.from(AsnConvert.serialize(a)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return { attrs: encoded.map((e) => e.a), der: setOf(encoded.map((e) => e.der)) };
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
}

/** The one value of a signed attribute; undefined when absent, INVALID when repeated or multi-valued. */
function single(info: SignerInfo, type: string, name: string): Buffer | undefined {
  const found = (info.signedAttrs ?? []).filter((a) => a.attrType === type);
  if (found.length === 0) return undefined;
  if (found.length > 1 || found[0]!.attrValues.length !== 1)
    throw invalid(`the ${name} attribute must have one value`);
  return Buffer.from(found[0]!.attrValues[0]!);
}

/**
 * Reads the signed attributes that matter (RFC 5652 §5.3, §11): contentType (must be id-data)
 * and messageDigest are required, signingTime optional. ERR_SFTP_SIGNATURE_INVALID otherwise.
 */
export function readSignedAttributes(
  parsed: ParsedFs,
  digest: FsDigest,
): { messageDigest: Buffer; signingTime: string | undefined } {
  const info = parsed.signerInfo;
  if (!parsed.signedAttrs || !info.signedAttrs?.length) throw invalid('the signer has no signed attributes');
  const contentType = single(info, id_contentType, 'contentType');
  if (!contentType) throw invalid('the contentType signed attribute is missing');
  if (!contentType.equals(ID_DATA_DER)) throw invalid('the contentType signed attribute is not id-data');
  const md = single(info, id_messageDigest, 'messageDigest');
  if (!md) throw invalid('the messageDigest signed attribute is missing');
  let messageDigest: Buffer;
  try {
    const t = readWhole(md);
    if (t.tag !== 0x04) throw new DerError('not an OCTET STRING');
    messageDigest = md.subarray(t.contentStart, t.end);
  } catch {
    throw invalid('the messageDigest signed attribute is not an OCTET STRING');
  }
  if (messageDigest.length !== DIGEST_LENGTH[digest])
    throw invalid(`the messageDigest is not a ${digest} value`);
  const time = single(info, id_signingTime, 'signingTime');
  let signingTime: string | undefined;
  if (time) {
    try {
      signingTime = AsnConvert.parse(time, Time).getTime().toISOString();
    } catch {
      throw invalid('the signingTime signed attribute cannot be read');
    }
  }
  return { messageDigest, signingTime };
}

const der = (value: unknown) => Buffer.from(AsnConvert.serialize(value));

function keyIdOf(cert: Certificate): Buffer | undefined {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.14');
  if (!ext) return undefined;
  try {
    return Buffer.from(AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer);
  } catch {
    return undefined;
  }
}

/**
 * The embedded certificate the SignerInfo names (issuerAndSerialNumber, or subjectKeyIdentifier);
 * ERR_SFTP_SIGNATURE_UNTRUSTED when none does (the signer cannot be identified).
 */
export function findSigner(parsed: ParsedFs): { signer: X509Certificate; others: X509Certificate[] } {
  const { sid } = parsed.signerInfo;
  const ias = sid.issuerAndSerialNumber;
  const keyId = sid.subjectKeyIdentifier && Buffer.from(sid.subjectKeyIdentifier.buffer);
  const match = parsed.certificates.find(({ asn }) => {
    if (keyId) return keyIdOf(asn)?.equals(keyId) === true;
    if (!ias) return false;
    const tbs = asn.tbsCertificate;
    return (
      Buffer.from(tbs.serialNumber).equals(Buffer.from(ias.serialNumber)) &&
      der(tbs.issuer).equals(der(ias.issuer))
    );
  });
  if (!match)
    throw new PasserelleError(
      'ERR_SFTP_SIGNATURE_UNTRUSTED',
      'The FS signature does not embed the certificate of its signer',
      { hint: 'Sign with a tool that includes the signer certificate (openssl cms -sign does by default).' },
    );
  return { signer: match.node, others: parsed.certificates.filter((c) => c !== match).map((c) => c.node) };
}
