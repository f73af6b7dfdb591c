/**
 * Vocabulary of the MTOM test operations that the sandbox serves on its 4522 role
 * (`cbss.mtom`). The platform publishes no MTOM test service: these are Passerelle's own,
 * shared by the client and the sandbox so that both sides speak exactly the same names.
 */
export const MTOM_TEST = Object.freeze({
  ns: 'urn:be:passerelle:sandbox:mtomtest:v1',
  path: '/PasserelleMtomTest/v1',
  uploadAction: 'urn:be:passerelle:sandbox:mtomtest:v1:upload',
  downloadAction: 'urn:be:passerelle:sandbox:mtomtest:v1:download',
  uploadRequest: 'UploadRequest',
  uploadResponse: 'UploadResponse',
  downloadRequest: 'DownloadRequest',
  downloadResponse: 'DownloadResponse',
  /** Largest attachment the download operation generates: 16 GiB. */
  maxDownloadBytes: 16 * 1024 * 1024 * 1024,
} as const);
