import { X509Certificate } from 'node:crypto';
import { SignedData, type SignerInfo } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { childrenOf, DerError, readWhole, type Tlv } from './_cms-der.ts';
import { malformed } from './_cms-encoding.ts';

/** An FS file may carry at most this many certificates (the signer and its chain). */
export const MAX_CERTIFICATES = 10;

/** DER of the OIDs id-signedData and id-data (RFC 5652 §5.1, §4): compared byte for byte. */
export const ID_SIGNED_DATA_DER = Buffer.from('06092a864886f70d010702', 'hex');
export const ID_DATA_DER = Buffer.from('06092a864886f70d010701', 'hex');

export interface ParsedFs {
  /** The one SignerInfo, decoded. */
  readonly signerInfo: SignerInfo;
  /** The embedded certificates, from their bytes as received, with their decoded form. */
  readonly certificates: readonly { readonly node: X509Certificate; readonly asn: Certificate }[];
  /** The signed attributes as received, re-tagged as a SET (0x31): what the signature covers (RFC 5652 §5.4). */
  readonly signedAttrs: Buffer | undefined;
}

const expect = (node: Tlv | undefined, tag: number, what: string): Tlv => {
  if (node?.tag !== tag) throw malformed(`${what} is missing or has the wrong type`);
  return node;
};

/**
 * Reads a detached CMS SignedData (strict DER, no trailing bytes) with exactly one SignerInfo,
 * at most MAX_CERTIFICATES X.509 certificates, eContentType id-data and no eContent. Everything
 * else is ERR_SFTP_SIGNATURE_MALFORMED. Nothing is verified here.
 */
export function parseFs(der: Buffer): ParsedFs {
  try {
    return parse(der);
  } catch (error) {
    if (error instanceof DerError) throw malformed(`not DER: ${error.message}`, error);
    throw error;
  }
}

function parse(der: Buffer): ParsedFs {
  const bytes = (t: Tlv) => der.subarray(t.start, t.end);
  const contentInfo = expect(readWhole(der), 0x30, 'ContentInfo');
  const [type, explicit, ...extra] = childrenOf(der, contentInfo);
  if (extra.length > 0) throw malformed('ContentInfo has extra fields');
  if (!bytes(expect(type, 0x06, 'contentType')).equals(ID_SIGNED_DATA_DER))
    throw malformed('the ContentInfo is not a CMS SignedData');
  const [sd, ...more] = childrenOf(der, expect(explicit, 0xa0, 'content'));
  if (more.length > 0) throw malformed('ContentInfo content holds more than one value');
  const fields = childrenOf(der, expect(sd, 0x30, 'SignedData'));
  expect(fields[0], 0x02, 'SignedData version');
  expect(fields[1], 0x31, 'SignedData digestAlgorithms');
  const encap = childrenOf(der, expect(fields[2], 0x30, 'encapContentInfo'));
  if (!bytes(expect(encap[0], 0x06, 'eContentType')).equals(ID_DATA_DER))
    throw malformed('eContentType is not id-data');
  if (encap.length !== 1) throw malformed('the signature is not detached (it embeds the content)');
  let next = 3;
  const certTlvs = fields[next]?.tag === 0xa0 ? childrenOf(der, fields[next++]!) : [];
  if (fields[next]?.tag === 0xa1) next++; // crls: not used, not trusted
  const signerInfos = childrenOf(der, expect(fields[next], 0x31, 'signerInfos'));
  if (next !== fields.length - 1) throw malformed('SignedData has extra fields');
  if (signerInfos.length !== 1)
    throw malformed(`exactly one signer is required, found ${signerInfos.length}`);
  if (certTlvs.length > MAX_CERTIFICATES)
    throw malformed(`more than ${MAX_CERTIFICATES} certificates (${certTlvs.length})`);
  const signerFields = childrenOf(der, expect(signerInfos[0], 0x30, 'SignerInfo'));
  const attrs = signerFields.find((f) => f.tag === 0xa0);
  const signedAttrs = attrs && Buffer.concat([Buffer.from([0x31]), der.subarray(attrs.start + 1, attrs.end)]);

  const certificates = certTlvs.map((t, i) => {
    if (t.tag !== 0x30) throw malformed(`certificate ${i + 1} is not an X.509 certificate`);
    try {
      return { node: new X509Certificate(bytes(t)), asn: AsnConvert.parse(bytes(t), Certificate) };
    } catch (cause) {
      throw malformed(`certificate ${i + 1} cannot be read`, cause);
    }
  });
  let signedData: SignedData;
  try {
    signedData = AsnConvert.parse(bytes(sd!), SignedData);
  } catch (cause) {
    throw malformed('the SignedData does not follow RFC 5652', cause);
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw malformed('no SignerInfo');
  const v = signerInfo.version;
  const byKeyId = signerInfo.sid.subjectKeyIdentifier !== undefined;
  if ((v !== 1 || byKeyId) && (v !== 3 || !byKeyId))
    throw malformed(`SignerInfo version ${v} does not match its sid`);
  return { signerInfo, certificates, signedAttrs };
}
