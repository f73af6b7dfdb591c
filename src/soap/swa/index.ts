export { type BuildSwaOptions, buildSwa, type SwaPackage } from './build-swa.ts';
export { type SwaCallOptions, type SwaCallReply, swaCall } from './swa-call.ts';
