// Holder-of-key message signing and verification live in wss; re-exported here until
// `passerelle/wss` lists them.
export { type HokToken, type SignHokEnvelopeOptions, signHokEnvelope } from '../wss/sign-hok.ts';
export {
  type VerifiedHokEnvelope,
  type VerifyHokEnvelopeOptions,
  verifyHokEnvelope,
} from '../wss/verify-hok.ts';
export { WST } from './constants.ts';
export { type CreateStsSessionOptions, createStsSession, type StsSession } from './create-sts-session.ts';
export { decodeStsReply } from './decode-sts-reply.ts';
export { type ParseRstrOptions, parseRstr, type RstrResult } from './parse-rstr.ts';
export { type RequestTokenOptions, requestToken } from './request-token.ts';
export { summarizeToken } from './summarize-token.ts';
export {
  StsTokenCache,
  type StsTokenCacheOptions,
  type StsTokenRequest,
  type StsTokenSource,
} from './token-cache.ts';
export type { StsToken, StsTokenSummary } from './types.ts';
