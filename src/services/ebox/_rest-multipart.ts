import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { isPasserelleError, PasserelleError } from '../../errors.ts';
import { inputFileError } from '../../input-file.ts';
import { _CHUNK_BYTES, type _RestFile } from './_rest-file.ts';

/** A multipart/form-data body (RFC 7578) of known length whose files are read as it is sent. */
export interface _Multipart {
  readonly contentType: string;
  /** The exact byte length: the Content-Length. */
  readonly length: number;
  /** A fresh body (a retry sends the files again); `failure()` says why it stopped, if it did. */
  open(): { readonly body: Readable; failure(): PasserelleError | undefined };
}

/** RFC 7578 §4.2 as browsers do it: the file name in UTF-8 with `"`, CR and LF percent-encoded. */
const _quoted = (name: string): string =>
  name.replace(/["\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function _changed(file: _RestFile): PasserelleError {
  return new PasserelleError(
    'ERR_EBOX_DIGEST_MISMATCH',
    `The file ${file.document.path} changed while it was being sent (its SHA-256 is no longer the one announced); the upload was stopped`,
    { details: { path: file.document.path, part: file.partName, origin: 'client' } },
  );
}

/**
 * The body of a publishMessage request: the `messageToPublish` JSON part, then one part per file
 * (`upfile1`..`upfile6`) with its download name and MIME type. The files are streamed in chunks
 * and hashed again while they are sent: a file whose bytes differ from the first pass (or whose
 * size changed) stops the upload before its last chunk goes out (ERR_EBOX_DIGEST_MISMATCH).
 */
export function _multipart(json: string, files: readonly _RestFile[]): _Multipart {
  const boundary = `passerelle-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="messageToPublish"\r\n` +
      `Content-Type: application/json\r\n\r\n${json}\r\n`,
    'utf8',
  );
  const fileHeads = files.map((f) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${f.partName}"; ` +
        `filename="${_quoted(f.document.fileName)}"\r\nContent-Type: ${f.document.mime}\r\n\r\n`,
      'utf8',
    ),
  );
  const crlf = Buffer.from('\r\n');
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length =
    head.length +
    fileHeads.reduce((n, h) => n + h.length, 0) +
    files.reduce((n, f) => n + f.size + crlf.length, 0) +
    tail.length;

  async function* fileChunks(file: _RestFile): AsyncGenerator<Buffer> {
    if (file.size === 0) return;
    const hash = createHash('sha256');
    let sent = 0;
    const stream = createReadStream(file.document.path, {
      start: 0,
      end: file.size - 1,
      highWaterMark: _CHUNK_BYTES,
    });
    try {
      for await (const chunk of stream) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        sent += bytes.length;
        if (sent === file.size && !hash.digest().equals(file.sha256)) throw _changed(file);
        yield bytes;
      }
    } catch (cause) {
      if (isPasserelleError(cause)) throw cause;
      throw inputFileError(cause, file.document.path, { what: 'document to publish' });
    } finally {
      stream.destroy();
    }
    if (sent !== file.size) throw _changed(file);
  }

  return Object.freeze({
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    open() {
      let failure: PasserelleError | undefined;
      async function* parts(): AsyncGenerator<Buffer> {
        try {
          yield head;
          for (const [i, file] of files.entries()) {
            yield fileHeads[i]!;
            yield* fileChunks(file);
            yield crlf;
          }
          yield tail;
        } catch (error) {
          if (isPasserelleError(error)) failure = error;
          throw error;
        }
      }
      return { body: Readable.from(parts(), { objectMode: false }), failure: () => failure };
    },
  });
}
