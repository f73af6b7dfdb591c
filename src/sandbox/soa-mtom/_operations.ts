import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PasserelleError } from '../../errors.ts';
import { generatedContent } from '../../services/mtom/generated-content.ts';
import { MTOM_TEST } from '../../services/mtom/names.ts';
import { _sizeAndSha256 } from '../../services/mtom/tap.ts';
import { _newContentId } from '../../soap/mtom/content-id.ts';
import type { MtomReader } from '../../soap/mtom/read-mtom.ts';
import type { MtomAttachment } from '../../soap/mtom/types.ts';
import { appendXopInclude } from '../../soap/mtom/xop.ts';
import type { MtomVerification } from '../../wss/mtom-verify.ts';
import { childElements, textOnly } from '../../xml/dom.ts';
import type { Document, Element } from '../../xml/node.ts';

export interface _UploadedPart {
  readonly contentId: string;
  readonly size: number;
  readonly sha256: string;
}

const devNull = () => new Writable({ write: (_c, _e, cb) => cb() });

function malformed(message: string): never {
  throw new PasserelleError('ERR_SOAP_MALFORMED', message);
}

/**
 * Reads every attachment the Body references, in document order, through the signature's Body
 * digest and a size/SHA-256 tap; then checks the package end and the digest. Nothing is kept.
 */
export async function _receiveUpload(
  reader: MtomReader | undefined,
  v: MtomVerification,
): Promise<_UploadedPart[]> {
  if (v.includes.length === 0 || !reader) malformed('An upload must reference at least one attachment');
  const parts: _UploadedPart[] = [];
  for (const { contentId } of v.includes) {
    const attachment = await reader.attachment(contentId);
    const tap = _sizeAndSha256();
    await pipeline(attachment.stream, v.digestStream(contentId), tap.stream, devNull());
    parts.push({ contentId, ...tap.result() });
  }
  await reader.done();
  v.complete();
  return parts;
}

/** The requested size and seed of a DownloadRequest (bounded). */
export function _downloadRequest(request: Element): { size: number; seed: string } {
  const text = (local: string): string => {
    const [el, ...rest] = childElements(request, MTOM_TEST.ns, local);
    const t = el && rest.length === 0 ? textOnly(el)?.trim() : undefined;
    if (t === undefined) return malformed(`${local} must occur once`);
    return t;
  };
  const sizeText = text('Size');
  const size = /^\d{1,12}$/.test(sizeText) ? Number(sizeText) : Number.NaN;
  if (!Number.isSafeInteger(size) || size > MTOM_TEST.maxDownloadBytes)
    malformed('Size is not an integer from 0 to 16 GiB');
  const seed = text('Seed');
  if (seed.length > 256) malformed('Seed is longer than 256 characters');
  return { size, seed };
}

/** The download reply's content: Size, then the Document as an xop:Include of generated content. */
export function _downloadReply(
  size: number,
  seed: string,
): { attachments: MtomAttachment[]; fill: (doc: Document, el: Element) => void } {
  const contentId = _newContentId();
  return {
    attachments: [
      {
        contentId,
        contentType: 'application/octet-stream',
        source: { open: () => generatedContent(seed, size), size },
      },
    ],
    fill: (doc: Document, el: Element) => {
      const s = doc.createElementNS(MTOM_TEST.ns, 'm:Size');
      s.appendChild(doc.createTextNode(String(size)));
      el.appendChild(s);
      const d = doc.createElementNS(MTOM_TEST.ns, 'm:Document');
      d.setAttribute('contentType', 'application/octet-stream');
      el.appendChild(d);
      appendXopInclude(d, contentId);
    },
  };
}
