import type { X509Certificate } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import { PasserelleError } from '../../errors.ts';
import type { MtomLimits } from '../../soap/mtom/limits.ts';
import { mtomCall } from '../../soap/mtom/mtom-call.ts';
import { findXopIncludes } from '../../soap/mtom/xop.ts';
import type { XopBase64Form } from '../../wss/mtom.ts';
import { attributeValue, childElements } from '../../xml/dom.ts';
import { _joinUrl } from '../_url.ts';
import type { ServiceContext } from '../service-context.ts';
import { _payload, _requiredText, _textElement } from '../xml.ts';
import { _signedRequest } from './_request.ts';
import { checkMtomReply } from './check-reply.ts';
import { MTOM_TEST } from './names.ts';
import { _sizeAndSha256 } from './tap.ts';

export interface MtomDownloadOptions {
  /** Bytes of generated content to ask for (0 to 16 GiB). */
  readonly size: number;
  /** Seed of the deterministic content (see generatedContent); default "passerelle". */
  readonly seed?: string;
  readonly url?: string;
  readonly xopBase64?: XopBase64Form;
  readonly signal?: AbortSignal;
  readonly limits?: Partial<MtomLimits>;
  /** Where out-of-order reply parts are spooled. */
  readonly spoolDir?: string;
}

export interface MtomDownload {
  /** The size the signed reply declares. */
  readonly size: number;
  readonly contentType: string;
  readonly replySigner: X509Certificate | undefined;
  /** The attachment's bytes as they arrive, read once. Trust them only after `done()`. */
  readonly stream: Readable;
  /**
   * After `stream` ended: checks the package is complete, the reply signature over the
   * XOP-expanded Body (ERR_WSS_DIGEST_MISMATCH) and the declared size; resolves with the size and
   * SHA-256 of what was received (compare with `generatedDigest`). Close with `close()` on any error.
   */
  done(): Promise<{ size: number; sha256: string }>;
  close(): Promise<void>;
}

/** The MTOM download test operation: asks for `size` bytes of generated content, returned as one MTOM attachment. */
export async function mtomDownload(ctx: ServiceContext, options: MtomDownloadOptions): Promise<MtomDownload> {
  const { size, seed = 'passerelle', xopBase64 = 'canonical', signal, limits, spoolDir } = options;
  if (!Number.isSafeInteger(size) || size < 0 || size > MTOM_TEST.maxDownloadBytes)
    throw new TypeError('mtomDownload: size must be an integer from 0 to 16 GiB');
  const url = options.url ?? _joinUrl(ctx.endpoint('cbss.mtom'), MTOM_TEST.path);
  const envelope = await _signedRequest(
    ctx,
    MTOM_TEST.downloadRequest,
    (doc, request) => {
      request.appendChild(_textElement(doc, MTOM_TEST.ns, 'm:Size', String(size)));
      request.appendChild(_textElement(doc, MTOM_TEST.ns, 'm:Seed', seed));
    },
    [],
    xopBase64,
  );
  const reply = await mtomCall(ctx.transport, url, {
    action: MTOM_TEST.downloadAction,
    envelope,
    limits: { maxTotalBytes: size + 16 * 1024 * 1024, ...limits },
    ...(signal === undefined ? {} : { signal }),
    ...(spoolDir === undefined ? {} : { spoolDir }),
  });
  try {
    const checked = checkMtomReply(ctx, reply, xopBase64);
    const payload = _payload(checked.body, MTOM_TEST.ns, MTOM_TEST.downloadResponse);
    const declaredSize = Number(_requiredText(payload, MTOM_TEST.ns, 'Size'));
    const documents = childElements(payload, MTOM_TEST.ns, 'Document');
    const includes = findXopIncludes(payload);
    if (documents.length !== 1 || includes.length !== 1 || !reply.reader || declaredSize !== size) {
      throw new PasserelleError(
        'ERR_SOAP_UNEXPECTED_RESPONSE',
        'The download reply does not hold the one document asked for',
      );
    }
    const contentId = includes[0]!.contentId;
    const attachment = await reply.reader.attachment(contentId);
    const tap = _sizeAndSha256();
    const verification = checked.verification;
    const stream = verification
      ? pipeline(attachment.stream, verification.digestStream(contentId), tap.stream, () => {})
      : pipeline(attachment.stream, tap.stream, () => {});
    return {
      size: declaredSize,
      contentType: attributeValue(documents[0]!, null, 'contentType') ?? attachment.contentType,
      replySigner: checked.signer,
      stream,
      async done() {
        await reply.done();
        verification?.complete();
        const got = tap.result();
        if (got.size !== declaredSize) {
          throw new PasserelleError(
            'ERR_SOAP_UNEXPECTED_RESPONSE',
            'The downloaded document does not have the size the reply declares',
            {
              details: { declaredSize, size: got.size },
            },
          );
        }
        return got;
      },
      close: () => reply.close(),
    };
  } catch (error) {
    await reply.close();
    throw error;
  }
}
