import { isPasserelleError, PasserelleError } from '../errors.ts';
import type { Transport, TransportResponse } from '../transport/types.ts';
import { type WithRetryOptions, withRetry } from '../transport/with-retry.ts';
import { faultToError } from './fault-to-error.ts';
import { parseEnvelope } from './parse-envelope.ts';
import { formatSoapAction } from './soap-action.ts';
import type { ParsedEnvelope } from './types.ts';

export interface SoapCallOptions {
  /** The operation's SOAPAction URI (sent quoted; may be empty). */
  readonly action: string;
  /**
   * The request envelope, or a function building it per attempt (so that a retried call is
   * re-signed with a fresh Timestamp instead of replaying the same signed message).
   */
  readonly envelope: string | Buffer | ((attempt: number) => string | Buffer | Promise<string | Buffer>);
  /** Extra HTTP headers; Content-Type and SOAPAction are set here. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Retry transient failures (503, SOA-02002, reset before sending). Absent: one attempt. */
  readonly retry?: WithRetryOptions;
  readonly maxResponseBytes?: number;
}

const XML_TYPE = /^\s*(text|application)\/([\w.-]+\+)?xml\s*(;|$)/i;

/**
 * One SOAP 1.1 call: POST with `Content-Type: text/xml; charset=utf-8` and a quoted SOAPAction,
 * then parse the reply. A fault (HTTP 500, or a fault in a 2xx) throws `faultToError`; any
 * other non-2xx throws ERR_TRANSPORT_HTTP_STATUS; a 2xx that is not an XML envelope throws
 * ERR_SOAP_UNEXPECTED_RESPONSE / ERR_SOAP_* / ERR_XML_*.
 */
export async function soapCall(
  transport: Transport,
  url: string | URL,
  options: SoapCallOptions,
): Promise<ParsedEnvelope> {
  const { action, envelope, headers = {}, signal, retry = { attempts: 1 }, maxResponseBytes } = options;
  const soapAction = formatSoapAction(action);
  const host = (typeof url === 'string' ? new URL(url) : url).host;
  return withRetry(
    async (attempt) => {
      const body = typeof envelope === 'function' ? await envelope(attempt) : envelope;
      const response = await transport.post(url, {
        headers: { ...headers, 'content-type': 'text/xml; charset=utf-8', soapaction: soapAction },
        body,
        ...(signal === undefined ? {} : { signal }),
        ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
      });
      return _interpret(response, host);
    },
    { ...retry, ...(signal === undefined ? {} : { signal }) },
  );
}

function _interpret(response: TransportResponse, host: string): ParsedEnvelope {
  const { status } = response;
  const contentType = String(response.headers['content-type'] ?? '');
  const isXml = XML_TYPE.test(contentType);
  if (status === 500 && isXml) {
    let parsed: ParsedEnvelope | undefined;
    try {
      parsed = parseEnvelope(response.body);
    } catch (cause) {
      if (isPasserelleError(cause) && cause.code.startsWith('ERR_XML_')) throw cause;
      throw _status(status, host, cause);
    }
    if (parsed.fault !== undefined) throw faultToError(parsed.fault, { httpStatus: status });
    throw _status(status, host);
  }
  if (status < 200 || status > 299) throw _status(status, host);
  if (!isXml) {
    throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The reply from ${host} is not XML`, {
      hint: 'The endpoint may not be a SOAP service (or answers MTOM: use the MTOM call).',
      details: { status, contentType: contentType.slice(0, 100) },
    });
  }
  const parsed = parseEnvelope(response.body);
  if (parsed.fault !== undefined) throw faultToError(parsed.fault, { httpStatus: status });
  return parsed;
}

function _status(status: number, host: string, cause?: unknown): PasserelleError {
  return new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `${host} answered HTTP ${status}`, {
    ...(status === 503 ? { hint: 'The service is temporarily unavailable; retry later.' } : {}),
    ...(status === 404 ? { hint: 'Check the endpoint path for this service and environment.' } : {}),
    details: { status, host },
    ...(cause === undefined ? {} : { cause }),
  });
}
