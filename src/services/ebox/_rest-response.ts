import { type ErrorCode, PasserelleError } from '../../errors.ts';
import type { HttpStreamResponse } from '../../oauth/types.ts';
import { _readUpTo } from '../../transport/read-body.ts';
import { safeText } from '../../transport/safe-text.ts';
import { decodeUtf8 } from '../../utf8.ts';
import { _restStatusCode } from './_business-codes.ts';
import { EBOX_PUBLICATION_SCOPE } from './rest-scope.ts';

/** The largest answer read: a PublicationStatusMessage or a StatusMessage is a few hundred bytes. */
export const _MAX_ANSWER_BYTES = 64 * 1024;

/** A 201 PublicationStatusMessage. */
export interface _PublicationStatus {
  readonly messageId: string;
  readonly expirationDate: string | undefined;
  readonly code: string | undefined;
}

interface _Where {
  readonly host: string;
  readonly idempotencyKey: string;
}

function _json(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(decodeUtf8(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function _invalid(status: number, where: _Where, reason: string): PasserelleError {
  return new PasserelleError('ERR_REST_RESPONSE_INVALID', `The eBox publishMessage answer ${reason}`, {
    hint: 'Check that ebox.rest is the eBox REST message registry v2; the document may have been published: retry with the same Idempotency-Key.',
    details: { status, host: where.host, idempotencyKey: where.idempotencyKey },
  });
}

/** StatusMessage fields (swagger v2.1), printable and bounded, or null. */
function _statusFields(doc: Record<string, unknown> | undefined) {
  return {
    statusCode: safeText(doc?.['code'], 100),
    id: safeText(doc?.['id'], 100),
    platformMessage: safeText(doc?.['message'], 500),
    contact: safeText(doc?.['contact'], 200),
    environment: safeText(doc?.['environment'], 40),
  };
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  ERR_REST_UNAUTHORIZED:
    'The token was refused: check the OAuth client id, its certificate and the environment (eBox REST needs a token of the same environment).',
  ERR_REST_FORBIDDEN: `The OAuth client lacks the eBox publication scope (${EBOX_PUBLICATION_SCOPE}) or may not publish for this sender: ask the platform to grant it.`,
  ERR_REST_NOT_FOUND:
    'Check the ebox.rest endpoint: the base of the message registry v2 (…/REST/ebox/enterprise/messageRegistry/v2).',
};

/**
 * Reads the answer of `POST {ebox.rest}/publishMessage` (swagger v2.1): 201 (or 200)
 * PublicationStatusMessage → its messageId, expirationDate and business code; else a coded
 * error: 400 StatusMessage by its code (INVALID_INPUT, INVALID_SENDER → ...), 401
 * ERR_REST_UNAUTHORIZED, 403 ERR_REST_FORBIDDEN, 404 ERR_REST_NOT_FOUND, 409 ERR_EBOX_DUPLICATE,
 * 5xx ERR_TRANSPORT_HTTP_STATUS (503 is retryable, classifyRetry), a body that is not the
 * expected JSON ERR_REST_RESPONSE_INVALID. At most 64 KiB are read.
 */
export async function _readPublishAnswer(
  response: HttpStreamResponse,
  where: _Where,
): Promise<_PublicationStatus> {
  const { status } = response;
  const { bytes, complete } = await _readUpTo(response.body, _MAX_ANSWER_BYTES);
  const doc = complete ? _json(bytes) : undefined;
  if (status === 200 || status === 201) {
    if (doc === undefined) throw _invalid(status, where, 'is not a JSON object');
    const { messageId, expirationDate, code } = doc;
    if (typeof messageId !== 'string' || messageId.trim() === '' || messageId.length > 200)
      throw _invalid(status, where, 'has no messageId');
    if (expirationDate !== undefined && typeof expirationDate !== 'string')
      throw _invalid(status, where, 'has an expirationDate that is not a string');
    if (code !== undefined && code !== null && typeof code !== 'string')
      throw _invalid(status, where, 'has a code that is not a string');
    return {
      messageId,
      expirationDate: safeText(expirationDate, 64) ?? undefined,
      code: safeText(code, 100) ?? undefined,
    };
  }
  const fields = _statusFields(doc);
  const details = { status, host: where.host, idempotencyKey: where.idempotencyKey, ...fields };
  const said = fields.platformMessage === null ? '' : `: ${fields.platformMessage.slice(0, 200)}`;
  if (status === 409) {
    throw new PasserelleError(
      'ERR_EBOX_DUPLICATE',
      `The eBox already received a publication with Idempotency-Key ${where.idempotencyKey}${said}`,
      { details: { ...details, origin: 'platform' } },
    );
  }
  if (status >= 500) {
    throw new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `${where.host} answered HTTP ${status}${said}`, {
      hint:
        status === 503
          ? 'The eBox is temporarily unavailable: retry later with the same Idempotency-Key.'
          : 'The eBox failed: retry later with the same Idempotency-Key (a repeated key is refused with 409 if it was published).',
      details,
    });
  }
  const restCode = (
    { 401: 'ERR_REST_UNAUTHORIZED', 403: 'ERR_REST_FORBIDDEN', 404: 'ERR_REST_NOT_FOUND' } as const
  )[status as 401 | 403 | 404];
  if (restCode !== undefined) {
    throw new PasserelleError(restCode, `The eBox publishMessage answered HTTP ${status}${said}`, {
      hint: HINTS[restCode]!,
      details,
    });
  }
  if (status >= 400 && fields.statusCode !== null) {
    const code = _restStatusCode(fields.statusCode);
    throw new PasserelleError(code, `The eBox refused the publication: ${fields.statusCode}${said}`, {
      details: { ...details, origin: 'platform' },
    });
  }
  if (status >= 400 && status !== 400 && doc !== undefined) {
    throw new PasserelleError('ERR_REST_PROBLEM', `The eBox publishMessage answered HTTP ${status}${said}`, {
      details,
    });
  }
  throw _invalid(status, where, `(HTTP ${status}) is not a StatusMessage`);
}
