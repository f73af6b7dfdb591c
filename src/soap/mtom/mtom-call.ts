import type { Readable } from 'node:stream';
import { PasserelleError } from '../../errors.ts';
import { _readUpTo } from '../../transport/read-body.ts';
import type { Transport } from '../../transport/types.ts';
import { decodeXml } from '../../utf8.ts';
import { faultToError } from '../fault-to-error.ts';
import { parseEnvelope } from '../parse-envelope.ts';
import { formatSoapAction } from '../soap-action.ts';
import type { ParsedEnvelope } from '../types.ts';
import { buildMtom } from './build-mtom.ts';
import { _parseMediaType } from './content-type.ts';
import { _resolveLimits, type MtomLimits } from './limits.ts';
import { type MtomReader, readMtom } from './read-mtom.ts';
import type { MtomAttachment } from './types.ts';

export interface MtomCallOptions {
  /** The operation's SOAPAction URI. */
  readonly action: string;
  /** The request envelope with its xop:Include elements (signed already, if the service wants it). */
  readonly envelope: string;
  /** In the document order of their xop:Include elements. */
  readonly attachments?: readonly MtomAttachment[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Limits applied to the reply package. */
  readonly limits?: Partial<MtomLimits>;
  /** Where out-of-order reply parts are spooled; default the OS temp dir. */
  readonly spoolDir?: string;
}

export interface MtomCallReply {
  readonly status: number;
  /** The reply envelope (root part), parsed with the hardened parser. */
  readonly envelope: ParsedEnvelope;
  /** Its text, as received: what a signature check reads. */
  readonly xml: string;
  /** The reply's attachments; undefined when the reply was a plain text/xml envelope. */
  readonly reader: MtomReader | undefined;
  /** Reads the rest of the reply, checks it is complete and frees the connection. */
  done(): Promise<void>;
  /** Abandons the reply (on any error path). */
  close(): Promise<void>;
}

const XML_TYPES = new Set(['text/xml', 'application/soap+xml', 'application/xml']);

async function _readBounded(body: Readable, limit: number): Promise<string> {
  const { bytes, complete } = await _readUpTo(body, limit);
  if (!complete)
    throw new PasserelleError('ERR_MTOM_LIMIT', `The SOAP reply exceeds ${limit} bytes`, {
      details: { limit },
    });
  return decodeXml(bytes);
}

/**
 * One SOAP 1.1 call with MTOM (the platform's port 4522): streams the request package (root +
 * attachments, Content-Length when every size is known) and returns the reply with its
 * attachments as streams. A fault (HTTP 500 with an XML or MTOM envelope, or a fault in a 2xx)
 * throws `faultToError`; another non-2xx throws ERR_TRANSPORT_HTTP_STATUS; a 2xx that is neither
 * XML nor MTOM throws ERR_SOAP_UNEXPECTED_RESPONSE. The caller must `done()` or `close()` the reply.
 */
export async function mtomCall(
  transport: Transport,
  url: string | URL,
  options: MtomCallOptions,
): Promise<MtomCallReply> {
  const { action, envelope, attachments = [], headers = {}, signal, spoolDir } = options;
  const limits = _resolveLimits(options.limits);
  const pkg = await buildMtom(envelope, attachments);
  const response = await transport.postStream(url, {
    headers: {
      ...headers,
      'content-type': pkg.contentType,
      soapaction: formatSoapAction(action),
      ...(pkg.contentLength === undefined ? {} : { 'content-length': String(pkg.contentLength) }),
    },
    body: pkg.body,
    maxResponseBytes: limits.maxTotalBytes,
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
  let reader: MtomReader | undefined;
  try {
    let xml: string;
    if (mediaType === 'multipart/related') {
      reader = await readMtom(response.body, rawType, {
        limits,
        ...(spoolDir === undefined ? {} : { spoolDir }),
      });
      xml = reader.root.xml;
    } else if (XML_TYPES.has(mediaType)) {
      xml = await _readBounded(response.body, limits.maxRootBytes);
    } else {
      if (status < 200 || status > 299) throw _status(status, host);
      throw new PasserelleError(
        'ERR_SOAP_UNEXPECTED_RESPONSE',
        `The reply from ${host} is neither XML nor MTOM`,
        {
          details: { status, contentType: rawType.slice(0, 100) },
        },
      );
    }
    const parsed = parseEnvelope(xml);
    if (parsed.fault !== undefined) throw faultToError(parsed.fault, { httpStatus: status });
    if (status < 200 || status > 299) throw _status(status, host);
    const r = reader;
    return {
      status,
      envelope: parsed,
      xml,
      reader: r,
      done: async () => {
        if (r) await r.done();
      },
      close: async () => {
        await r?.close();
        response.body.destroy();
      },
    };
  } catch (error) {
    await reader?.close().catch(() => {});
    response.body.destroy();
    throw error;
  }
}

function _status(status: number, host: string): PasserelleError {
  return new PasserelleError('ERR_TRANSPORT_HTTP_STATUS', `${host} answered HTTP ${status}`, {
    details: { status, host },
  });
}
