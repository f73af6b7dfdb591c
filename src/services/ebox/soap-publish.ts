import { checkInputFile } from '../../input-file.ts';
import { _cidUrl, _newContentId } from '../../soap/mtom/content-id.ts';
import type { Document, Element } from '../../xml/node.ts';
import type { ServiceContext } from '../service-context.ts';
import { _payload, _requiredText } from '../xml.ts';
import { _checkedSource, _fileDigest, _memorySource } from './_document-digest.ts';
import { _eboxCall } from './_soap-call.ts';
import { _messageId, _request, _typed } from './_soap-xml.ts';
import type { EboxPublication } from './publication.ts';
import type { EboxPublishResult } from './result.ts';
import { checkSender, type EboxSenderIdentity, eboxSenderIdentity } from './sender-identity.ts';
import { EBOX_SOAP } from './soap-names.ts';
import { type ValidatedPublication, validatePublication } from './validate-publication.ts';

/** Options of publishEboxMessage. */
export interface PublishEboxMessageOptions {
  /** Default: the environment's `ebox.soap` endpoint. */
  readonly url?: string;
  readonly signal?: AbortSignal;
  /** Called with each number of document bytes as they are handed to the transport. */
  readonly onProgress?: (bytes: number) => void;
}

interface _Digest {
  readonly algorithm: string;
  readonly value: string;
}

function _publishRequest(
  doc: Document,
  p: ValidatedPublication,
  sender: EboxSenderIdentity | undefined,
  cid: string,
  digest: _Digest,
): Element {
  const request = _request(doc, 'PublishEboxMessageRequest');
  request.appendChild(_messageId(doc, p.ticket!, p.sequence));
  if (sender !== undefined) {
    request.appendChild(
      _typed(
        doc,
        'SenderID',
        _typed(doc, 'Application', sender.application),
        _typed(doc, 'Institution', sender.institution),
      ),
    );
  }
  // RecipientID extends EboxEntity (EntityID's INSS, then EboxType): a citizen.
  request.appendChild(
    _typed(doc, 'RecipientID', _typed(doc, 'INSS', p.recipient), _typed(doc, 'EboxType', 'CITIZEN')),
  );
  request.appendChild(_typed(doc, 'MessageType', p.messageType));
  request.appendChild(
    _typed(
      doc,
      'Document',
      _typed(doc, 'Title', p.subject.text),
      _typed(doc, 'Content', cid),
      _typed(
        doc,
        'Digest',
        _typed(doc, 'DigestMethod', digest.algorithm),
        _typed(doc, 'DigestValue', digest.value),
      ),
      _typed(doc, 'DownloadFileName', p.document.fileName),
      _typed(doc, 'MIME', p.document.mime),
    ),
  );
  return request;
}

/**
 * Publishes one document to a citizen's eBox over EBoxMessage v1 (`publishEboxMessage`,
 * PROTOCOLS.md §7). Before anything is sent: the publication is validated for SOAP
 * (validatePublication: ERR_IDS_INSS_INVALID, ERR_EBOX_INVALID_INPUT, ERR_EBOX_DIGEST_ALGORITHM),
 * the sender is read from the signing certificate (ERR_EBOX_CERT_NO_CBE), a SenderID must name
 * the certificate's institution (ERR_EBOX_SENDER_MISMATCH), and the file must be readable
 * (ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE). The document's digest (SHA-256, or SHA-512) is
 * computed by streaming the file; the request — MessageID, SenderID?, RecipientID (INSS,
 * CITIZEN), MessageType, Document {Title = subject, Content = swaRef, Digest, DownloadFileName,
 * MIME} — is built on the DOM, signed with the X.509 token profile, and sent as SOAP with
 * Attachments with the file streamed from disk (Content-Length known); the bytes are hashed again
 * as they go and the request is cut off with ERR_EBOX_DIGEST_MISMATCH if the file changed. The
 * signed reply is verified and its message `ID` returned. Platform business errors are
 * ERR_EBOX_* (details.businessCode, origin 'platform'); SOA system errors stay ERR_SOAP_FAULT.
 */
export async function publishEboxMessage(
  ctx: ServiceContext,
  publication: EboxPublication,
  options: PublishEboxMessageOptions = {},
): Promise<EboxPublishResult> {
  const { signal, onProgress } = options;
  const p = validatePublication(publication, { transport: 'soap' });
  const identity = eboxSenderIdentity(ctx.signingCredential().certificate);
  checkSender(identity, { institution: p.senderInstitution });
  const { path, digestAlgorithm: algorithm, fileName, mime } = p.document;
  await checkInputFile(path, { what: 'eBox document' });
  const url = options.url ?? ctx.endpoint('ebox.soap');
  const { size, digest, bytes } = await _fileDigest(path, algorithm);
  // A SenderID (shared certificate) names the application; its institution is the certificate's.
  const senderId =
    p.senderApplication === undefined
      ? undefined
      : { application: p.senderApplication, institution: p.senderInstitution ?? identity.institution };
  const contentId = _newContentId();
  const checked = bytes
    ? { source: _memorySource(bytes, onProgress), failure: () => undefined }
    : _checkedSource(path, { size, digest, algorithm }, onProgress);
  let body: Element;
  try {
    ({ body } = await _eboxCall(ctx, {
      url,
      action: EBOX_SOAP.actions.publishEboxMessage,
      body: (doc) => _publishRequest(doc, p, senderId, _cidUrl(contentId), { algorithm, value: digest }),
      attachment: { contentId, contentType: mime, source: checked.source },
      ...(signal === undefined ? {} : { signal }),
    }));
  } catch (error) {
    throw checked.failure() ?? error;
  }
  const messageId = _requiredText(
    _payload(body, EBOX_SOAP.ns, 'PublishEboxMessageResponse'),
    EBOX_SOAP.typesNs,
    'ID',
  );
  return {
    messageId,
    transport: 'soap',
    recipient: p.recipient,
    document: { fileName, mime, size, digestAlgorithm: algorithm, digest },
    ticket: p.ticket!,
    ...(p.sequence === undefined ? {} : { sequence: p.sequence }),
    sender: senderId ?? identity,
  };
}
