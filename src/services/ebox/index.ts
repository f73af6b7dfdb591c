export {
  EBOX_LIMITS,
  EBOX_MIME_TYPES,
  type EboxDigestAlgorithm,
  type EboxDocument,
  type EboxLanguage,
  type EboxPublication,
  type EboxSubject,
} from './publication.ts';
export { checkSender, type EboxSenderIdentity, eboxSenderIdentity } from './sender-identity.ts';
export {
  type ValidatedDocument,
  type ValidatedPublication,
  type ValidatePublicationOptions,
  validatePublication,
} from './validate-publication.ts';
export {
  type CreateEboxRestClientOptions,
  createEboxRestClient,
  type EboxRestClient,
} from './rest-client.ts';
export { type EboxRestContext, type EboxRestPublishOptions, publishEboxRest } from './rest-publish.ts';
export { EBOX_PUBLICATION_SCOPE } from './rest-scope.ts';
