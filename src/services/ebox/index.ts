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
