import { constants, type KeyObject, sign, timingSafeEqual, verify, type X509Certificate } from 'node:crypto';
import {
  CertificateChoices,
  CertificateSet,
  CMSVersion,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  id_data,
  id_signedData,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { verifyChain } from '../pki/chain.ts';
import type { Credential } from '../pki/credential.ts';
import { subjectDn } from '../pki/dn.ts';
import type { Trust } from '../pki/trust.ts';
import {
  checkKey,
  checkSignatureAlgorithm,
  DIGEST_OIDS,
  digestOf,
  type FsDigest,
  signatureOid,
} from './_cms-algorithms.ts';
import { buildSignedAttributes, findSigner, invalid, readSignedAttributes } from './_cms-attributes.ts';
import { hashData } from './_cms-digest.ts';
import { decodeFs, encodeFs, type FsEncoding } from './_cms-encoding.ts';
import { parseFs } from './_cms-parse.ts';

/**
 * The FS file of a social-security SFTP submission: a detached CMS SignedData (RFC 5652) over
 * the bytes of the FI file, in base64 (one line, or 76-character lines separated by CR) or DER.
 */
export type { FsDigest, FsEncoding };

export interface SignSubmissionOptions {
  /** Who signs: an RSA (≥ 2048 bits) or EC P-256/P-384 credential; its chain is embedded. */
  readonly signer: Credential;
  /** Default sha256. */
  readonly digest?: FsDigest;
  /** Default base64 (one line). */
  readonly encoding?: FsEncoding;
  /** The signingTime attribute (from the caller's clock). */
  readonly signingTime: Date;
}

export interface VerifySubmissionOptions {
  /** What may sign: pinned signer certificates and/or CA anchors. */
  readonly trust: Trust;
  /** The signer's path is checked at this time. */
  readonly at: Date;
}

/** What a verified FS signature says. */
export interface SubmissionSignature {
  readonly signer: X509Certificate;
  /** The signer's subject, RFC 4514. */
  readonly subject: string;
  readonly digest: FsDigest;
  /** The signingTime signed attribute (ISO 8601), when present. Claimed by the signer, not proven. */
  readonly signingTime: string | undefined;
}

const keyOptions = (key: KeyObject, kind: 'rsa' | 'ec') =>
  kind === 'rsa' ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: 'der' as const };

const algorithm = <T extends DigestAlgorithmIdentifier | SignatureAlgorithmIdentifier>(
  Type: new (p: { algorithm: string; parameters?: ArrayBuffer | null }) => T,
  oid: string,
  withNull: boolean,
) => new Type({ algorithm: oid, ...(withNull ? { parameters: new Uint8Array([5, 0]).buffer } : {}) });

/**
 * Signs an FI file for submission: hashes `data` (a file path, or a stream of the FI bytes)
 * incrementally, never holding the file in memory, and returns the FS file's bytes — a detached
 * CMS SignedData (version 1, id-data without eContent) with one SignerInfo (issuerAndSerialNumber;
 * signed attributes contentType, signingTime, messageDigest; RSA PKCS#1 v1.5 or ECDSA over
 * SHA-256/384/512) and the signer's certificate and chain, in `encoding`. Throws TypeError for
 * bad options, ERR_SFTP_SIGNATURE_ALGORITHM for a signer key outside the allow-list,
 * ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE when the path cannot be read.
 */
export async function signSubmissionFile(
  data: string | AsyncIterable<Uint8Array>,
  options: SignSubmissionOptions,
): Promise<Buffer> {
  const { signer, digest = 'sha256', encoding = 'base64', signingTime } = options;
  if (!Object.hasOwn(DIGEST_OIDS, digest))
    throw new TypeError(`signSubmissionFile: unknown digest ${String(digest)}`);
  if (!['base64', 'base64-76-cr', 'der'].includes(encoding))
    throw new TypeError(`signSubmissionFile: unknown encoding ${String(encoding)}`);
  if (!(signingTime instanceof Date) || !Number.isFinite(signingTime.getTime()))
    throw new TypeError('signSubmissionFile: signingTime must be a valid Date');
  const kind = signer.keyKind;
  const sigOid = signatureOid(kind, digest);
  checkKey(signer.certificate.publicKey, kind, sigOid);

  const messageDigest = await hashData(data, digest);
  const { attrs, der: signedAttrs } = buildSignedAttributes(messageDigest, signingTime);
  const signature = sign(digest, signedAttrs, keyOptions(signer.privateKey, kind));
  const leaf = AsnConvert.parse(signer.certificate.raw, Certificate);
  const certs = [signer.certificate, ...signer.chain].sort((a, b) => Buffer.compare(a.raw, b.raw));
  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: leaf.tbsCertificate.issuer,
        serialNumber: leaf.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm: algorithm(DigestAlgorithmIdentifier, DIGEST_OIDS[digest], false),
    signedAttrs: attrs,
    signatureAlgorithm: algorithm(SignatureAlgorithmIdentifier, sigOid, kind === 'rsa'),
    signature: new OctetString(signature),
  });
  const signedData = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([
      algorithm(DigestAlgorithmIdentifier, DIGEST_OIDS[digest], false),
    ]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
    certificates: new CertificateSet(
      certs.map((c) => new CertificateChoices({ certificate: AsnConvert.parse(c.raw, Certificate) })),
    ),
    signerInfos: new SignerInfos([signerInfo]),
  });
  const der = Buffer.from(
    AsnConvert.serialize(
      new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signedData) }),
    ),
  );
  // What we wrote must read back as what we signed: the exact signed attributes and certificates.
  const back = parseFs(der);
  if (
    !back.signedAttrs?.equals(signedAttrs) ||
    !certs.every((c, i) => back.certificates[i]?.node.raw.equals(c.raw))
  )
    throw new PasserelleError(
      'ERR_INTERNAL',
      'The CMS encoder changed the signed attributes or a certificate',
    );
  return encodeFs(der, encoding);
}

/**
 * The DER of an FS file: accepts DER, base64 on one line, or base64 in lines separated by CR,
 * LF or CRLF. Throws ERR_SFTP_SIGNATURE_MALFORMED for anything else, an empty file or one over 1 MiB.
 */
export function decodeSubmissionSignature(fs: Uint8Array): Buffer {
  return decodeFs(fs);
}

/**
 * Verifies the FS signature `fs` over the FI `data` (a file path or a stream of its bytes,
 * hashed incrementally) and returns its verified parts; never returns a "false". Throws
 * ERR_SFTP_SIGNATURE_MALFORMED (not a single-signer detached CMS SignedData in strict DER, over
 * 1 MiB or 10 certificates), ERR_SFTP_SIGNATURE_ALGORITHM (outside SHA-256/384/512 with RSA
 * PKCS#1 v1.5 ≥ 2048 bits or ECDSA P-256/P-384, or digest and signature algorithms that
 * disagree), ERR_SFTP_SIGNATURE_INVALID (signed attributes missing or wrong, signature or
 * messageDigest not matching), ERR_SFTP_SIGNATURE_UNTRUSTED (the signer certificate is not
 * embedded, has no path to `trust`, or is not valid at `at`).
 */
export async function verifySubmissionSignature(
  fs: Uint8Array,
  data: string | AsyncIterable<Uint8Array>,
  options: VerifySubmissionOptions,
): Promise<SubmissionSignature> {
  const { trust, at } = options;
  if (!(at instanceof Date) || !Number.isFinite(at.getTime()))
    throw new TypeError('verifySubmissionSignature: at must be a valid Date');
  const parsed = parseFs(decodeFs(fs));
  const info = parsed.signerInfo;
  const digest = digestOf(info.digestAlgorithm.algorithm, info.digestAlgorithm.parameters);
  const { signer, others } = findSigner(parsed);
  const kind = checkSignatureAlgorithm(
    info.signatureAlgorithm.algorithm,
    info.signatureAlgorithm.parameters,
    digest,
    signer.publicKey,
  );
  const { messageDigest, signingTime } = readSignedAttributes(parsed, digest);
  const signature = Buffer.from(info.signature.buffer);
  let ok = false;
  try {
    ok = verify(digest, parsed.signedAttrs!, keyOptions(signer.publicKey, kind), signature);
  } catch {
    ok = false;
  }
  if (!ok) throw invalid('the signature over the signed attributes does not verify with the signer key');
  try {
    verifyChain(signer, { anchors: trust, intermediates: others, at: at.getTime() });
  } catch (cause) {
    if (!isPasserelleError(cause)) throw cause;
    throw new PasserelleError(
      'ERR_SFTP_SIGNATURE_UNTRUSTED',
      `The FS signer "${subjectDn(signer)}" is not trusted at ${at.toISOString()}: ${cause.message}`,
      {
        details: { subject: subjectDn(signer), fingerprint256: signer.fingerprint256, reason: cause.code },
        cause,
      },
    );
  }
  const actual = await hashData(data, digest);
  if (!timingSafeEqual(actual, messageDigest))
    throw invalid(`the ${digest} of the FI file is not the signed messageDigest`);
  return { signer, subject: subjectDn(signer), digest, signingTime };
}
