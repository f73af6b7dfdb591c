export { type BuildMtomOptions, buildMtom, type MtomPackage } from './build-mtom.ts';
export { cid } from './cid.ts';
export { DEFAULT_MTOM_LIMITS, type MtomLimits } from './limits.ts';
export { type MtomCallOptions, type MtomCallReply, mtomCall } from './mtom-call.ts';
export { type MtomReader, type MtomRoot, type ReadMtomOptions, readMtom } from './read-mtom.ts';
export type { MtomAttachment, MtomAttachmentSource, ReceivedMtomAttachment } from './types.ts';
export { appendXopInclude, findXopIncludes, XOP_NS, type XopInclude } from './xop.ts';
