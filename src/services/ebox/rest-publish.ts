import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';
import type { HttpClient, HttpStreamResponse } from '../../oauth/types.ts';
import type { TokenSource } from '../../rest/types.ts';
import { _readUpTo } from '../../transport/read-body.ts';
import { type WithRetryOptions, withRetry } from '../../transport/with-retry.ts';
import { _measureFile, type _RestFile } from './_rest-file.ts';
import { _idempotencyKey, _sfString } from './_rest-idempotency.ts';
import { _messageToPublish } from './_rest-message.ts';
import { _multipart } from './_rest-multipart.ts';
import { _readPublishAnswer } from './_rest-response.ts';
import { _restSender } from './_rest-sender.ts';
import type { EboxPublication } from './publication.ts';
import { EBOX_PUBLICATION_SCOPE } from './rest-scope.ts';
import type { EboxPublishResult } from './result.ts';
import { type ValidatedDocument, validatePublication } from './validate-publication.ts';

/** What a REST publication is sent with (createEboxRestClient builds it from an environment). */
export interface EboxRestContext {
  /** The HTTP seam; it must stream Readable request bodies (createHttpClient does). */
  readonly http: HttpClient;
  /** Bearer tokens: an OAuthClient. */
  readonly tokens: TokenSource;
  /** The `ebox.rest` base (…/REST/ebox/enterprise/messageRegistry/v2); `/publishMessage` is appended. */
  readonly baseUrl: string;
  /** The OAuth client's certificate: the platform reads the sender from its registration. */
  readonly certificate: X509Certificate;
  /** Default EBOX_PUBLICATION_SCOPE. */
  readonly scope?: string;
}

export interface EboxRestPublishOptions {
  readonly signal?: AbortSignal;
  /**
   * Repeat transient failures (HTTP 503, a connection refused or reset before sending; see
   * classifyRetry) with the same Idempotency-Key, as withRetry does (3 attempts unless said).
   * Absent: one attempt.
   */
  readonly retry?: WithRetryOptions;
}

const _isInvalidToken = (r: HttpStreamResponse): boolean =>
  r.status === 401 && /\berror\s*=\s*"?invalid_token\b/i.test(String(r.headers['www-authenticate'] ?? ''));

function _refuseSha512(doc: ValidatedDocument, field: string): void {
  if (doc.digestAlgorithm === 'SHA-256') return;
  throw new PasserelleError(
    'ERR_EBOX_DIGEST_ALGORITHM',
    `eBox publication: the REST API digests documents with SHA-256 only (${field} asks ${doc.digestAlgorithm})`,
    {
      hint: 'Leave the digest algorithm at SHA-256 for REST, or publish over SOAP for SHA-512.',
      details: { field: `${field}.digestAlgorithm`, origin: 'client', transport: 'rest' },
    },
  );
}

/**
 * Publishes one document (and up to 5 annexes) to a citizen's eBox over REST:
 * `POST {ebox.rest}/publishMessage` (swagger v2.1, PROTOCOLS.md §7), multipart/form-data with
 * the `messageToPublish` JSON and `upfile1..6`, a bearer token of the publication scope and an
 * `Idempotency-Key` (RFC 8941 sf-string: the publication's, else derived from application,
 * ticket and sequence, else a random UUID; returned in the result and in the errors).
 *
 * Before anything is sent: validatePublication (ERR_IDS_INSS_INVALID, ERR_EBOX_INVALID_INPUT),
 * SHA-256 only (ERR_EBOX_DIGEST_ALGORITHM), the sender (ERR_EBOX_SENDER_MISMATCH) and the files
 * (ERR_FILE_NOT_FOUND / ERR_FILE_UNREADABLE). Files are streamed twice — digested, then sent
 * with an exact Content-Length and digested again: a file changed in between stops the upload
 * (ERR_EBOX_DIGEST_MISMATCH). A 401 invalid_token is retried once with a new token.
 */
export async function publishEboxRest(
  context: EboxRestContext,
  publication: EboxPublication,
  options: EboxRestPublishOptions = {},
): Promise<EboxPublishResult> {
  const { http, tokens, scope = EBOX_PUBLICATION_SCOPE } = context;
  const url = new URL(`${context.baseUrl.replace(/\/+$/, '')}/publishMessage`);
  const v = validatePublication(publication, { transport: 'rest' });
  _refuseSha512(v.document, 'document');
  for (const [i, a] of v.annexes.entries()) _refuseSha512(a, `annexes[${i}]`);
  const sender = _restSender(v, context.certificate);
  const idempotencyKey = _idempotencyKey(v.idempotencyKey, sender.application, v.ticket, v.sequence);
  const files: _RestFile[] = [];
  for (const [i, doc] of [v.document, ...v.annexes].entries())
    files.push(await _measureFile(doc, `upfile${i + 1}`));
  const body = _multipart(JSON.stringify(_messageToPublish(v, sender, files)), files);
  const where = { host: url.host, idempotencyKey };

  const send = async (forceRefresh: boolean): Promise<HttpStreamResponse> => {
    const token = await tokens.getToken({ scope });
    const stream = body.open();
    const headers = {
      accept: 'application/json',
      authorization: `Bearer ${token.value}`,
      'content-type': body.contentType,
      'content-length': String(body.length),
      'idempotency-key': _sfString(idempotencyKey),
    };
    let response: HttpStreamResponse;
    try {
      response = await http.requestStream(url, {
        method: 'POST',
        headers,
        body: stream.body,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      stream.body.destroy(); // the files it was reading are closed
      throw stream.failure() ?? error;
    }
    if (!forceRefresh && _isInvalidToken(response)) {
      await _readUpTo(response.body, 64 * 1024); // drained: the connection is reused
      tokens.invalidate(token, { scope });
      return send(true);
    }
    return response;
  };

  const answer = await withRetry(async () => _readPublishAnswer(await send(false), where), {
    ...(options.retry ?? { attempts: 1 }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const main = files[0]!;
  return {
    messageId: answer.messageId,
    transport: 'rest',
    recipient: v.recipient,
    document: {
      fileName: main.document.fileName,
      mime: main.document.mime,
      size: main.size,
      digestAlgorithm: 'SHA-256',
      digest: main.sha256.toString('base64url'),
    },
    ...(v.ticket === undefined ? {} : { ticket: v.ticket }),
    ...(v.sequence === undefined ? {} : { sequence: v.sequence }),
    idempotencyKey,
    ...(answer.expirationDate === undefined ? {} : { expirationDate: answer.expirationDate }),
    noDigitalUser: answer.code === 'NO_DIGITAL_USER',
    sender,
  };
}
