export {
  EBOX_LIMITS,
  EBOX_MIME_TYPES,
  type EboxDigestAlgorithm,
  type EboxDocument,
  type EboxLanguage,
  type EboxPublication,
  type EboxSubject,
} from './publication.ts';
export {
  type CreateEboxRestClientOptions,
  createEboxRestClient,
  type EboxRestClient,
} from './rest-client.ts';
export { type EboxRestContext, type EboxRestPublishOptions, publishEboxRest } from './rest-publish.ts';
export { EBOX_PUBLICATION_SCOPE } from './rest-scope.ts';
export type { EboxPublishResult } from './result.ts';
export { checkSender, type EboxSenderIdentity, eboxSenderIdentity } from './sender-identity.ts';
export { type HasAnEboxResult, hasAnEbox } from './soap-has-an-ebox.ts';
export {
  type EboxHealthCheckLevel,
  type EboxHealthCheckResult,
  type EboxHealthLocation,
  type EboxHealthStatus,
  type EboxHealthStatusLevel,
  type EboxSanityCheck,
  eboxHealthCheck,
} from './soap-health-check.ts';
export {
  type EboxMessageStatus,
  type EboxMessageStatusQuery,
  getMessageStatus,
} from './soap-message-status.ts';
export { EBOX_SOAP, type EboxSoapCallOptions } from './soap-names.ts';
export { type PublishEboxMessageOptions, publishEboxMessage } from './soap-publish.ts';
export {
  type ValidatedDocument,
  type ValidatedPublication,
  type ValidatePublicationOptions,
  validatePublication,
} from './validate-publication.ts';
