export {
  ALG,
  DEFAULT_DIGEST_ALGORITHMS,
  DEFAULT_SIGNATURE_ALGORITHMS,
  DIGEST_HASH,
  SIGNATURE_SCHEME,
} from './algorithms.ts';
export { base64Content } from './base64.ts';
export { readPrefixList } from './c14n-method.ts';
export { type AttrSpec, bindPrefix, declare, element, setText } from './dom-build.ts';
export { collectIds, IdIndex, type IdLookup, NCNAME } from './ids.ts';
export {
  type AllowedAlgorithms,
  checkDigest,
  digestElement,
  type ParsedReference,
  parseReference,
  resolveReferences,
  type SignaturePolicy,
  signaturePolicy,
} from './references.ts';
export {
  type CheckVerdict,
  type DigestVerdict,
  type ReferenceReport,
  SignatureReport,
  type SignatureReportJson,
} from './report.ts';
export { fillSignature } from './sign-core.ts';
export { checkSignatureValue, computeSignatureValue } from './signature-value.ts';
export { type ParsedSignature, parseSignature } from './signed-info.ts';
export { signerTrustError, trustSigner } from './signer-trust.ts';
export { cachedCertificate, type TrustOptions, trustedPath } from './trust-cache.ts';
export { verifySignatureCore } from './verify-core.ts';
