import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { checkInputFile, inputFileError } from '../../input-file.ts';
import type { ValidatedDocument } from './validate-publication.ts';

/** A document to upload, measured and digested (SHA-256) in a first streaming pass. */
export interface _RestFile {
  readonly document: ValidatedDocument;
  /** The multipart part: upfile1 (main content), upfile2..6 (annexes). */
  readonly partName: string;
  readonly size: number;
  readonly sha256: Buffer;
}

/** The chunk size of both passes: the memory a file costs, whatever its size. */
export const _CHUNK_BYTES = 256 * 1024;

/**
 * Reads `document` once, as a stream, for its size and SHA-256 (never whole in memory). A
 * missing or unreadable file is ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE.
 */
export async function _measureFile(document: ValidatedDocument, partName: string): Promise<_RestFile> {
  const what = { what: 'document to publish' };
  await checkInputFile(document.path, what);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(document.path, { highWaterMark: _CHUNK_BYTES })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (cause) {
    throw inputFileError(cause, document.path, what);
  }
  return { document, partName, size, sha256: hash.digest() };
}
