import type { _RestFile } from './_rest-file.ts';
import type { EboxSenderIdentity } from './sender-identity.ts';
import type { ValidatedPublication } from './validate-publication.ts';

/**
 * The `messageToPublish` JSON part (swagger v2.1 `MessageToPublish`): the citizen recipient
 * (`EboxId`), the subject in its one language (`TranslatedString`), the message type, the sender,
 * one attachment per file (`AttachmentToPublish`, SHA-256 `Digest` in base64url), no body
 * (`bodyMainContent: false`) and `replyAuthorized`. No property is ever null.
 */
export function _messageToPublish(
  publication: ValidatedPublication,
  sender: EboxSenderIdentity,
  files: readonly _RestFile[],
): Record<string, unknown> {
  return {
    recipient: { eboxType: 'citizen', eboxIdValue: publication.recipient },
    subject: { [publication.subject.lang]: publication.subject.text },
    messageTypeId: publication.messageType,
    senderOrganizationId: sender.institution,
    senderApplicationId: sender.application,
    attachments: files.map((f, i) => ({
      httpPartName: f.partName,
      mainContent: i === 0,
      attachmentSigned: false,
      digest: { digestMethod: 'sha_256', digestValue: f.sha256.toString('base64url') },
    })),
    bodyMainContent: false,
    replyAuthorized: publication.replyAuthorized,
  };
}
