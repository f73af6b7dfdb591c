import { Readable } from 'node:stream';
import { PasserelleError } from '../../errors.ts';
import { decodeXml } from '../../utf8.ts';
import { _MultipartReader } from './_multipart-reader.ts';
import { type _PartHead, _parsePartHeaders } from './_part-headers.ts';
import { _Spool } from './_spool.ts';
import { _parseMediaType } from './content-type.ts';
import { _resolveLimits, type MtomLimits } from './limits.ts';
import type { ReceivedMtomAttachment } from './types.ts';

export interface ReadMtomOptions {
  readonly limits?: Partial<MtomLimits>;
  /** Where parts that arrive before they are asked for are spooled; default the OS temp dir. */
  readonly spoolDir?: string;
}

export interface MtomRoot {
  readonly contentId: string | undefined;
  /** The root's original media type (the `type` parameter of application/xop+xml), e.g. text/xml. */
  readonly type: string | undefined;
  /** The root part as text (UTF-8), e.g. the SOAP envelope with its xop:Include elements. */
  readonly xml: string;
}

/**
 * A package being read. `root` is buffered (bounded by maxRootBytes); attachments are handed out
 * as streams, one at a time, by Content-ID.
 *
 * Memory stays bounded whatever the order of the parts: asking for an attachment reads the
 * package up to that part, spooling any part met on the way to a temporary file (0600, in a
 * private directory) from where it is streamed when asked for. In the usual case — parts in the
 * document order of their xop:Include elements, asked for in that order — nothing is spooled and
 * bytes flow from the socket to the consumer with backpressure.
 */
export interface MtomReader {
  readonly root: MtomRoot;
  /**
   * The attachment with this Content-ID (each may be taken once). The previous attachment's
   * stream must have been read to its end first (TypeError otherwise). A part the package does
   * not hold: ERR_MTOM_MISSING_PART.
   */
  attachment(contentId: string): Promise<ReceivedMtomAttachment>;
  /** Reads the rest of the package (parts nobody asked for are discarded), checks it is complete, cleans up. */
  done(): Promise<void>;
  /** Abandons the package: stops reading and removes spooled files. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Attachment bytes are handed out in chunks of about this size: the 16 KiB TLS records of the
 * source are gathered (one copy) so that a consumer makes one call — a hash update, a disk write —
 * per 256 KiB rather than per record. A part's last chunk may be shorter.
 */
const BLOCK = 256 * 1024;

const BOUNDARY = /^[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]$/;

function malformed(message: string, details: Record<string, string> = {}): never {
  throw new PasserelleError('ERR_MTOM_MALFORMED', message, { details });
}

/**
 * Starts reading an MTOM/XOP package (`multipart/related; type="application/xop+xml"`) from
 * `body` and resolves once its root part is read. The root must be the first part (what every
 * MTOM stack sends; `start`, when given, must name it) of type application/xop+xml, UTF-8.
 * Errors: ERR_MTOM_MALFORMED (not MTOM, bad boundary, broken framing, nested multipart, a charset
 * other than UTF-8, duplicate Content-ID), ERR_MTOM_LIMIT; the root's bytes are decoded by
 * `decodeXml` (ERR_XML_ENCODING, ERR_XML_UNSUPPORTED_ENCODING).
 */
export async function readMtom(
  body: AsyncIterable<unknown>,
  contentType: string,
  options: ReadMtomOptions = {},
): Promise<MtomReader> {
  const limits = _resolveLimits(options.limits);
  const { type, params } = _parseMediaType(contentType);
  if (type !== 'multipart/related')
    malformed('Not an MTOM package (multipart/related expected)', { contentType: type.slice(0, 80) });
  if ((params.get('type') ?? '').toLowerCase() !== 'application/xop+xml')
    malformed('Not an XOP package (type="application/xop+xml" expected)');
  const boundary = params.get('boundary');
  if (boundary === undefined || !BOUNDARY.test(boundary)) malformed('Missing or invalid multipart boundary');
  const start = params.get('start');
  const startId = start === undefined ? undefined : (/^<([^<>]+)>$/.exec(start.trim())?.[1] ?? start.trim());

  const reader = new _MultipartReader(body, boundary, limits);
  const spool = new _Spool(options.spoolDir);
  const fail = async (error: unknown): Promise<never> => {
    await reader.cancel().catch(() => {});
    await spool.dispose().catch(() => {});
    throw error;
  };

  let rootHead: _PartHead;
  let xml: string;
  try {
    const block = await reader.nextPart();
    if (block === undefined) malformed('The MTOM package has no part');
    rootHead = _parsePartHeaders(block);
    if (rootHead.mediaType !== 'application/xop+xml')
      malformed('The root part is not application/xop+xml', { contentType: rootHead.mediaType });
    const charset = rootHead.params.get('charset');
    if (charset !== undefined && !/^utf-8$/i.test(charset))
      malformed('The root part must be UTF-8', { charset: charset.slice(0, 40) });
    if (startId !== undefined && rootHead.contentId !== startId)
      malformed('The first part is not the root part named by "start"');
    const chunks: Buffer[] = [];
    let size = 0;
    for (let c = await reader.readBody(); c !== undefined; c = await reader.readBody()) {
      size += c.length;
      if (size > limits.maxRootBytes) {
        throw new PasserelleError(
          'ERR_MTOM_LIMIT',
          `The MTOM root part exceeds ${limits.maxRootBytes} bytes`,
          { details: { limit: limits.maxRootBytes } },
        );
      }
      chunks.push(Buffer.from(c));
    }
    xml = decodeXml(Buffer.concat(chunks, size));
  } catch (error) {
    return fail(error);
  }

  const seen = new Set<string>(rootHead.contentId === undefined ? [] : [rootHead.contentId]);
  const spooled = new Map<string, { file: string; contentType: string }>();
  const taken = new Set<string>();
  let current: Readable | undefined;
  let closed = false;

  const nextHead = async (): Promise<_PartHead | undefined> => {
    const block = await reader.nextPart();
    if (block === undefined) return undefined;
    const head = _parsePartHeaders(block);
    if (head.contentId === undefined) malformed('An MTOM attachment part has no Content-ID');
    if (seen.has(head.contentId))
      malformed('Two parts of the MTOM package have the same Content-ID', {
        contentId: head.contentId.slice(0, 120),
      });
    seen.add(head.contentId);
    return head;
  };

  const streamCurrentPart = (): Readable =>
    new Readable({
      highWaterMark: BLOCK,
      read() {
        reader.readBodyBlock(BLOCK).then(
          (chunk) => this.push(chunk ?? null),
          (error: unknown) => this.destroy(error as Error),
        );
      },
    });

  return {
    root: { contentId: rootHead.contentId, type: rootHead.params.get('type'), xml },
    async attachment(contentId) {
      if (closed) throw new TypeError('MtomReader: the reader is closed');
      if (taken.has(contentId))
        throw new TypeError(`MtomReader: the attachment ${contentId} was already taken`);
      if (current && !current.readableEnded)
        throw new TypeError('MtomReader: read the previous attachment to its end first');
      taken.add(contentId);
      try {
        const file = spooled.get(contentId);
        if (file) {
          spooled.delete(contentId);
          return { contentId, contentType: file.contentType, stream: spool.open(file.file) };
        }
        for (let head = await nextHead(); head !== undefined; head = await nextHead()) {
          if (head.contentId === contentId) {
            current = streamCurrentPart();
            return { contentId, contentType: head.contentType, stream: current };
          }
          spooled.set(head.contentId!, {
            file: await spool.write(() => reader.readBody()),
            contentType: head.contentType,
          });
        }
        throw new PasserelleError(
          'ERR_MTOM_MISSING_PART',
          'An xop:Include references a part the MTOM package does not hold',
          {
            details: { contentId: contentId.slice(0, 120) },
          },
        );
      } catch (error) {
        closed = true;
        return fail(error);
      }
    },
    async done() {
      if (closed) return;
      if (current && !current.readableEnded)
        throw new TypeError('MtomReader: read the last attachment to its end first');
      try {
        while ((await nextHead()) !== undefined);
        if (!reader.finished) malformed('The MTOM package did not end properly');
      } catch (error) {
        closed = true;
        return fail(error);
      }
      closed = true;
      await spool.dispose();
    },
    async close() {
      if (closed) return;
      closed = true;
      current?.destroy();
      await reader.cancel().catch(() => {});
      await spool.dispose();
    },
  };
}
