export { type SignMtomEnvelopeOptions, signMtomEnvelope, type XopBase64Form } from './mtom-sign.ts';
export { type MtomVerification, type VerifyMtomEnvelopeOptions, verifyMtomEnvelope } from './mtom-verify.ts';
