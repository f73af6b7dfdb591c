export {
  ALG,
  DEFAULT_DIGEST_ALGORITHMS,
  DEFAULT_SIGNATURE_ALGORITHMS,
  WSS_TOKEN,
} from './algorithms.ts';
export type { HokToken } from './hok-token.ts';
export {
  type MtomVerification,
  type SignMtomEnvelopeOptions,
  signMtomEnvelope,
  type VerifyMtomEnvelopeOptions,
  verifyMtomEnvelope,
  type XopBase64Form,
} from './mtom.ts';
export { MemoryReplayCache, type MemoryReplayCacheOptions, type ReplayCache } from './replay-cache.ts';
export {
  type TimestampReport,
  type VerificationOutcome,
  VerificationReport,
  type VerificationReportJson,
} from './report.ts';
export {
  type SignEnvelopeOptions,
  signEnvelope,
  type WssIdKind,
  type WssSignatureAlgorithm,
} from './sign.ts';
export { type SignHokEnvelopeOptions, signHokEnvelope } from './sign-hok.ts';
export {
  type SignedPart,
  type VerifiedEnvelope,
  type VerifyEnvelopeOptions,
  verifyEnvelope,
} from './verify.ts';
export { type VerifiedHokEnvelope, type VerifyHokEnvelopeOptions, verifyHokEnvelope } from './verify-hok.ts';
