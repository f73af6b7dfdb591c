import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { _chunks } from './_chunks.ts';
import { _checkContentId, _newContentId } from './content-id.ts';
import { _formatParam } from './content-type.ts';
import { _openSource, _sourceSize } from './source.ts';
import type { MtomAttachment } from './types.ts';

export interface BuildMtomOptions {
  /** Content-ID of the root part; default a fresh `<uuid>@passerelle`. */
  readonly rootContentId?: string;
  /** The multipart boundary; default `uuid:` + 128 random bits, which cannot occur by chance. */
  readonly boundary?: string;
  /** The root's original media type (start-info): `text/xml` for SOAP 1.1 (the default). */
  readonly startInfo?: string;
  /**
   * `xop` (default): an MTOM/XOP package, root `application/xop+xml`. `swa`: SOAP with
   * Attachments 1.0 (`multipart/related; type="text/xml"`, root `text/xml; charset=UTF-8`, no
   * start-info), whose envelope references parts by `cid:` URLs (WS-I swaRef) instead of xop:Include.
   */
  readonly packaging?: 'xop' | 'swa';
}

export interface MtomPackage {
  /** The HTTP Content-Type: multipart/related with type, boundary, start and start-info. */
  readonly contentType: string;
  /** The package, produced as it is read (backpressure: nothing is read ahead of the consumer). */
  readonly body: Readable;
  /** The exact byte length when every attachment size is known (files, data, or declared). */
  readonly contentLength: number | undefined;
  readonly rootContentId: string;
}

const BCHARS = /^[0-9A-Za-z'()+_,./:=?-]{1,69}[0-9A-Za-z'()+_,./:=?-]$/;

/**
 * Builds an MTOM/XOP package (XOP 1.0 over MIME multipart/related, RFC 2387) as a stream: the
 * root part (`application/xop+xml; charset=UTF-8; type="text/xml"`) holding `rootXml`, then one
 * binary part per attachment, in the given order (put them in the document order of their
 * xop:Include elements: a receiver can then stream them without spooling). Attachment bodies are
 * read from their sources only while the package is consumed; none is held in memory.
 * Caller mistakes (bad Content-ID or boundary, duplicate ids) are TypeErrors.
 */
export async function buildMtom(
  rootXml: string,
  attachments: readonly MtomAttachment[],
  options: BuildMtomOptions = {},
): Promise<MtomPackage> {
  const { startInfo = 'text/xml', packaging = 'xop' } = options;
  if (packaging !== 'xop' && packaging !== 'swa') throw new TypeError('buildMtom: packaging is xop or swa');
  const swa = packaging === 'swa';
  const rootContentId = _checkContentId(options.rootContentId ?? _newContentId());
  const boundary = options.boundary ?? `uuid:${randomBytes(16).toString('hex')}`;
  if (!BCHARS.test(boundary))
    throw new TypeError('buildMtom: invalid boundary (RFC 2046 bchars, 1 to 70 characters)');
  const ids = new Set<string>([rootContentId]);
  for (const a of attachments) {
    if (ids.has(_checkContentId(a.contentId)))
      throw new TypeError(`buildMtom: the Content-ID ${a.contentId} is used twice`);
    ids.add(a.contentId);
    if (a.contentType !== undefined && /[\r\n]/.test(a.contentType))
      throw new TypeError('buildMtom: invalid contentType');
  }
  const root = Buffer.from(rootXml, 'utf8');
  const head = (lines: string[]) => Buffer.from(`--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const rootHead = head([
    swa
      ? 'Content-Type: text/xml; charset=UTF-8'
      : `Content-Type: application/xop+xml; charset=UTF-8; ${_formatParam('type', startInfo)}`,
    'Content-Transfer-Encoding: binary',
    `Content-ID: <${rootContentId}>`,
  ]);
  const partHeads = attachments.map((a) =>
    head([
      `Content-Type: ${a.contentType ?? 'application/octet-stream'}`,
      'Content-Transfer-Encoding: binary',
      `Content-ID: <${a.contentId}>`,
    ]),
  );
  const crlf = Buffer.from('\r\n');
  const close = Buffer.from(`--${boundary}--\r\n`, 'latin1');

  const sizes = await Promise.all(attachments.map((a) => _sourceSize(a.source)));
  const contentLength = sizes.every((s) => s !== undefined)
    ? rootHead.length +
      root.length +
      crlf.length +
      close.length +
      partHeads.reduce((n, h, i) => n + h.length + sizes[i]! + crlf.length, 0)
    : undefined;

  const used = new WeakSet<object>();
  async function* produce(): AsyncGenerator<Buffer> {
    yield rootHead;
    yield root;
    yield crlf;
    for (const [i, a] of attachments.entries()) {
      yield partHeads[i]!;
      let size = 0;
      for await (const chunk of _chunks(_openSource(a.source, used))) {
        size += chunk.length;
        yield chunk;
      }
      if (sizes[i] !== undefined && size !== sizes[i]) {
        throw new Error(
          `MTOM attachment ${a.contentId} changed size while being sent (${sizes[i]} announced, ${size} read)`,
        );
      }
      yield crlf;
    }
    yield close;
  }
  const contentType = [
    'multipart/related',
    _formatParam('type', swa ? 'text/xml' : 'application/xop+xml'),
    _formatParam('boundary', boundary),
    _formatParam('start', `<${rootContentId}>`),
    ...(swa ? [] : [_formatParam('start-info', startInfo)]),
  ].join('; ');
  return {
    contentType,
    body: Readable.from(produce(), { objectMode: false, highWaterMark: 64 * 1024 }),
    contentLength,
    rootContentId,
  };
}
