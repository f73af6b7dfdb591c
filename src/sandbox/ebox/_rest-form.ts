import type { IncomingMessage } from 'node:http';
import { _refuseDeclared, _totalBoundMs } from '../_request-body.ts';
import { _mediaType, _multipartOf, _readPart } from './_body.ts';
import type { _ReceivedDocument } from './_document-sink.ts';
import type { _Multipart } from './_multipart.ts';
import { _receivePart } from './_receive-part.ts';
import type { _RestDeps } from './_rest-handle.ts';
import { _RestRefusal } from './_rest-refusal.ts';

/** A form-data part's name (Content-Disposition: form-data; name="…"). */
function _partName(disposition: string | undefined): string | undefined {
  if (disposition === undefined || !/^\s*form-data\s*;/i.test(disposition)) return undefined;
  return /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i
    .exec(disposition)
    ?.slice(1)
    .find((v) => v !== undefined);
}

export interface _Received {
  json?: string;
  readonly files: Map<
    string,
    { doc: _ReceivedDocument; contentType: string | undefined; filename: string | undefined }
  >;
}

/**
 * Reads a multipart/form-data publication: `messageToPublish` into memory (bounded), each
 * `upfile1..6` streamed to a temporary file with its SHA-256; any other or repeated part, a
 * truncated body or a body over the bound is refused (400 INVALID_INPUT, 413).
 */
export async function _readForm(
  req: IncomingMessage,
  deps: Pick<_RestDeps, 'limits' | 'store' | 'stats'>,
  held: { parts?: _Multipart },
  got: _Received,
) {
  const type = _mediaType(req.headers['content-type']);
  const boundary = type?.params.get('boundary');
  if (type?.type !== 'multipart/form-data' || boundary === undefined)
    throw new _RestRefusal(400, 'INVALID_INPUT', 'The request must be multipart/form-data', 'content-type');
  const refused = _refuseDeclared(req, {
    maxBytes: deps.limits.maxTotalBytes,
    idleMs: deps.limits.idleMs,
    totalMs: _totalBoundMs(deps.limits.drainBytes, deps.limits.minBytesPerSecond, deps.limits.idleMs),
    drainBytes: deps.limits.drainBytes,
  });
  if (refused) throw new _RestRefusal(413, 'PAYLOAD_TOO_LARGE', refused.message, 'too-large');
  const parts = _multipartOf(req, boundary, deps.limits);
  held.parts = parts;
  for (let head = await parts.nextPart(); head !== undefined; head = await parts.nextPart()) {
    const name = _partName(head.get('content-disposition'));
    if (name === 'messageToPublish' && got.json === undefined) {
      const raw = await _readPart(parts, deps.limits.maxRootBytes);
      if (raw === undefined)
        throw new _RestRefusal(400, 'INVALID_INPUT', 'messageToPublish is too large', 'json-too-large');
      got.json = raw.toString('utf8');
    } else if (name !== undefined && /^upfile[1-6]$/.test(name) && !got.files.has(name)) {
      const doc = await _receivePart(parts, deps.store.documentsDir, { sha512: false });
      const filename = /;\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(
        head.get('content-disposition') ?? '',
      )?.[1];
      got.files.set(name, { doc, contentType: head.get('content-type'), filename });
      deps.stats.bump('bytesIn', doc.size);
    } else {
      throw new _RestRefusal(
        400,
        'INVALID_INPUT',
        `Unexpected or repeated part ${String(name).slice(0, 40)}`,
        'unexpected-part',
      );
    }
  }
  if (!parts.finished)
    throw new _RestRefusal(400, 'INVALID_INPUT', 'The multipart body is incomplete', 'multipart-truncated');
}
