export { type MtomDownload, type MtomDownloadOptions, mtomDownload } from './download.ts';
export { generatedContent } from './generated-content.ts';
export { generatedDigest } from './generated-digest.ts';
export { MTOM_TEST } from './names.ts';
export {
  type MtomUploadedDocument,
  type MtomUploadFile,
  type MtomUploadOptions,
  type MtomUploadResult,
  mtomUpload,
} from './upload.ts';
