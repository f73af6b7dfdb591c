export type { ReplyStatus } from './acknowledgement.ts';
export { type CancelSubmissionOptions, type CancelSubmissionResult, cancelSubmission } from './cancel.ts';
export { type ConnectSftpEnvironmentOptions, connectSftpEnvironment } from './connect-environment.ts';
export { type ConnectSftpOptions, connectSftp } from './connect-sftp.ts';
export {
  type FetchedReply,
  type FetchRepliesOptions,
  type FetchRepliesResult,
  fetchReplies,
} from './fetch-replies.ts';
export {
  decodeSubmissionSignature,
  type FsDigest,
  type FsEncoding,
  type SignSubmissionOptions,
  type SubmissionSignature,
  signSubmissionFile,
  type VerifySubmissionOptions,
  verifySubmissionSignature,
} from './fs-signature.ts';
export { type HostKeyEndpoint, type HostKeyPins, parseHostKeyPins, sshFingerprint } from './host-key.ts';
export {
  LEDGER_FILE,
  type LedgerReply,
  type LedgerSubmission,
  type SubmissionState,
} from './ledger.ts';
export {
  parseSubmissionFileName,
  SUBMISSION_KINDS,
  type SubmissionKey,
  type SubmissionKind,
  submissionDate,
  submissionFileName,
  validateSubmissionKey,
} from './names.ts';
export { parseReplyFileName, type ReplyFileName, replyAnswers, replyFileName } from './reply-names.ts';
export type {
  DownloadOptions,
  DownloadResult,
  RemoteEntry,
  SftpSession,
  TransferProgress,
  UploadOptions,
} from './session.ts';
export { type SubmitFileOptions, type SubmitFileResult, submitFile, UPLOAD_SUFFIX } from './submit.ts';
