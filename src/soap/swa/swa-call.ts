import { PasserelleError } from '../../errors.ts';
import { _readBody } from '../../transport/read-body.ts';
import type { Transport } from '../../transport/types.ts';
import { decodeXml } from '../../utf8.ts';
import { faultToError } from '../fault-to-error.ts';
import { _parseMediaType } from '../mtom/content-type.ts';
import type { MtomAttachment } from '../mtom/types.ts';
import { parseEnvelope } from '../parse-envelope.ts';
import { formatSoapAction } from '../soap-action.ts';
import type { ParsedEnvelope } from '../types.ts';
import { type BuildSwaOptions, buildSwa } from './build-swa.ts';

export interface SwaCallOptions {
  /** The operation's SOAPAction (sent quoted; may be empty). */
  readonly action: string;
  /** The request envelope, its swaRef elements naming the parts (signed already, if needed). */
  readonly envelope: string;
  readonly attachments: readonly MtomAttachment[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Largest reply read; default 16 MiB. */
  readonly maxResponseBytes?: number;
  /**
   * Turns a fault reply into the error thrown (it may read service-specific detail from the
   * parsed envelope); default `faultToError`.
   */
  readonly mapFault?: (reply: ParsedEnvelope, httpStatus: number) => Error;
  readonly package?: BuildSwaOptions;
}

export interface SwaCallReply {
  readonly status: number;
  readonly envelope: ParsedEnvelope;
  /** The reply envelope as received (UTF-8 text): what a signature check reads. */
  readonly xml: string;
}

const XML_TYPES = new Set(['text/xml', 'application/soap+xml', 'application/xml']);
const DEFAULT_MAX = 16 * 1024 * 1024;

/**
 * One SOAP 1.1 call sent as SOAP with Attachments: streams the package (buildSwa, with its
 * Content-Length when every size is known) and reads a plain XML reply. A fault (HTTP 500 or in a
 * 2xx) throws `mapFault` (default `faultToError`); another non-2xx is ERR_TRANSPORT_HTTP_STATUS; a
 * reply that is not XML is ERR_SOAP_UNEXPECTED_RESPONSE. The request body is a one-shot stream:
 * retry by calling again.
 */
export async function swaCall(
  transport: Transport,
  url: string | URL,
  options: SwaCallOptions,
): Promise<SwaCallReply> {
  const { action, envelope, attachments, headers = {}, signal, mapFault = _defaultFault } = options;
  const limit = options.maxResponseBytes ?? DEFAULT_MAX;
  const soapAction = formatSoapAction(action);
  const pkg = await buildSwa(envelope, attachments, options.package);
  const response = await transport.postStream(url, {
    headers: {
      ...headers,
      'content-type': pkg.contentType,
      soapaction: soapAction,
      ...(pkg.contentLength === undefined ? {} : { 'content-length': String(pkg.contentLength) }),
    },
    body: pkg.body,
    maxResponseBytes: limit,
    ...(signal === undefined ? {} : { signal }),
  });
  const host = (typeof url === 'string' ? new URL(url) : url).host;
  const { status } = response;
  const rawType = String(response.headers['content-type'] ?? '');
  let mediaType = '';
  try {
    mediaType = _parseMediaType(rawType).type;
  } catch {
    mediaType = '';
  }
  if (!XML_TYPES.has(mediaType)) {
    response.body.destroy();
    if (status < 200 || status > 299) throw _status(status, host);
    throw new PasserelleError('ERR_SOAP_UNEXPECTED_RESPONSE', `The reply from ${host} is not XML`, {
      details: { status, contentType: rawType.slice(0, 100) },
    });
  }
  const bytes = await _readBody(response.body, host, limit);
  const xml = decodeXml(bytes);
  const parsed = parseEnvelope(xml);
  if (parsed.fault !== undefined) throw mapFault(parsed, status);
  if (status < 200 || status > 299) throw _status(status, host);
  return { status, envelope: parsed, xml };
}

function _defaultFault(reply: ParsedEnvelope, httpStatus: number): Error {
  return faultToError(reply.fault!, { httpStatus });
}

function _status(status: number, host: string): PasserelleError {
  return new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `${host} answered HTTP ${status}`, {
    details: { status, host },
  });
}
