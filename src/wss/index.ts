export {
  ALG,
  DEFAULT_DIGEST_ALGORITHMS,
  DEFAULT_SIGNATURE_ALGORITHMS,
  WSS_TOKEN,
} from './algorithms.ts';
export { MemoryReplayCache, type MemoryReplayCacheOptions, type ReplayCache } from './replay-cache.ts';
export {
  type SignEnvelopeOptions,
  signEnvelope,
  type WssIdKind,
  type WssSignatureAlgorithm,
} from './sign.ts';
export {
  type SignedPart,
  type VerifiedEnvelope,
  type VerifyEnvelopeOptions,
  verifyEnvelope,
} from './verify.ts';
