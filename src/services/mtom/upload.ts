import type { X509Certificate } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { PasserelleError } from '../../errors.ts';
import { checkInputFile } from '../../input-file.ts';
import { _newContentId } from '../../soap/mtom/content-id.ts';
import type { MtomLimits } from '../../soap/mtom/limits.ts';
import { mtomCall } from '../../soap/mtom/mtom-call.ts';
import { _FILE_CHUNK } from '../../soap/mtom/source.ts';
import type { MtomAttachment } from '../../soap/mtom/types.ts';
import { appendXopInclude } from '../../soap/mtom/xop.ts';
import type { XopBase64Form } from '../../wss/mtom.ts';
import { attributeValue, childElements } from '../../xml/dom.ts';
import { _joinUrl } from '../_url.ts';
import type { ServiceContext } from '../service-context.ts';
import { _payload } from '../xml.ts';
import { _signedRequest } from './_request.ts';
import { checkMtomReply } from './check-reply.ts';
import { MTOM_TEST } from './names.ts';

export interface MtomUploadFile {
  readonly path: string;
  /** Default application/octet-stream. */
  readonly contentType?: string;
}

export interface MtomUploadOptions {
  readonly files: readonly MtomUploadFile[];
  /** Default: the `cbss.mtom` endpoint + the test operation path. */
  readonly url?: string;
  /** Default `canonical` (see XopBase64Form). */
  readonly xopBase64?: XopBase64Form;
  readonly signal?: AbortSignal;
  readonly limits?: Partial<MtomLimits>;
  /** Called with each number of file bytes sent, as they are handed to the transport (progress). */
  readonly onProgress?: (bytes: number) => void;
}

export interface MtomUploadedDocument {
  readonly name: string;
  readonly contentId: string;
  /** As the receiver counted them. */
  readonly size: number;
  readonly sha256: string;
}

export interface MtomUploadResult {
  readonly documents: readonly MtomUploadedDocument[];
  readonly replySigner: X509Certificate | undefined;
}

/**
 * The MTOM upload test operation: each file becomes an MTOM attachment (streamed from disk, never
 * held in memory) referenced by an xop:Include; the request is signed over the XOP-expanded Body
 * (so the signature covers the files' content); the receiver answers each attachment's size and
 * SHA-256. The signed reply is verified against the context's platform signing trust. A file
 * that does not exist or cannot be read is ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE.
 */
export async function mtomUpload(ctx: ServiceContext, options: MtomUploadOptions): Promise<MtomUploadResult> {
  const { files, xopBase64 = 'canonical', signal, limits, onProgress } = options;
  if (!Array.isArray(files) || files.length === 0) throw new TypeError('mtomUpload: give at least one file');
  // A missing or unreadable file is ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE before anything is sent.
  const sizes: number[] = [];
  for (const f of files) sizes.push(await checkInputFile(f.path, { what: 'file to upload' }));
  const url = options.url ?? _joinUrl(ctx.endpoint('cbss.mtom'), MTOM_TEST.path);
  const attachments: MtomAttachment[] = files.map((f) => ({
    contentId: _newContentId(),
    ...(f.contentType === undefined ? {} : { contentType: f.contentType }),
    source: { file: f.path },
  }));
  // The same files, read through a counter when they are sent (the digest pass is not counted).
  const sent: MtomAttachment[] =
    onProgress === undefined
      ? attachments
      : attachments.map((a, i) => ({
          ...a,
          source: { open: () => _counted(files[i]!.path, onProgress), size: sizes[i]! },
        }));
  const envelope = await _signedRequest(
    ctx,
    MTOM_TEST.uploadRequest,
    (doc, request) => {
      attachments.forEach((a, i) => {
        const d = doc.createElementNS(MTOM_TEST.ns, 'm:Document');
        d.setAttribute('name', basename(files[i]!.path));
        d.setAttribute('contentType', a.contentType ?? 'application/octet-stream');
        request.appendChild(d);
        appendXopInclude(d, a.contentId);
      });
    },
    attachments,
    xopBase64,
  );
  const reply = await mtomCall(ctx.transport, url, {
    action: MTOM_TEST.uploadAction,
    envelope,
    attachments: sent,
    ...(signal === undefined ? {} : { signal }),
    ...(limits === undefined ? {} : { limits }),
  });
  try {
    const checked = checkMtomReply(ctx, reply, xopBase64);
    checked.verification?.complete();
    await reply.done();
    const docs = childElements(
      _payload(checked.body, MTOM_TEST.ns, MTOM_TEST.uploadResponse),
      MTOM_TEST.ns,
      'Document',
    );
    const documents = docs.map((d, i) => {
      const size = Number(attributeValue(d, null, 'size'));
      const sha256 = attributeValue(d, null, 'sha256') ?? '';
      const contentId = attributeValue(d, null, 'contentId') ?? '';
      if (
        !Number.isSafeInteger(size) ||
        !/^[0-9a-f]{64}$/.test(sha256) ||
        contentId !== attachments[i]?.contentId
      ) {
        throw new PasserelleError(
          'ERR_SOAP_UNEXPECTED_RESPONSE',
          'The upload reply does not describe the documents sent',
        );
      }
      return { name: basename(files[i]!.path), contentId, size, sha256 };
    });
    if (documents.length !== attachments.length)
      throw new PasserelleError(
        'ERR_SOAP_UNEXPECTED_RESPONSE',
        'The upload reply does not list every document',
      );
    return { documents, replySigner: checked.signer };
  } catch (error) {
    await reply.close();
    throw error;
  }
}

/** A file read as when sent, each chunk counted on its way out. */
function _counted(path: string, onProgress: (bytes: number) => void) {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      onProgress(chunk.length);
      next(null, chunk);
    },
  });
  return pipeline(createReadStream(path, { highWaterMark: _FILE_CHUNK }), counter, () => {});
}
