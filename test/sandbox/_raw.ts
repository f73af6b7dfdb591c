import { request } from 'node:https';
import type { Credential } from '../../src/pki/credential.ts';
import { parseEnvelope } from '../../src/soap/parse-envelope.ts';
import type { SoapFault } from '../../src/soap/types.ts';

export interface RawReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/**
 * Sends raw bytes to the sandbox over mutual TLS (no client-side checks on what is sent): a POST
 * with SOAP headers by default, or `method` (a GET sends no body and no SOAP headers).
 */
export function rawPost(
  url: string,
  body: string | Buffer,
  opts: {
    ca: string;
    client?: Credential;
    contentType?: string;
    method?: string;
    headers?: Record<string, string>;
  },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'POST',
        ca: opts.ca,
        ...(opts.client ? { cert: opts.client.certPem, key: opts.client.keyPem } : {}),
        agent: false,
        headers: {
          ...(opts.method === 'GET'
            ? {}
            : { 'content-type': opts.contentType ?? 'text/xml; charset=utf-8', soapaction: '""' }),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.method === 'GET' ? undefined : body);
  });
}

/** The fault of a reply, with the raw SystemError pieces the platform format fixes. */
export function faultOf(reply: RawReply): SoapFault {
  const parsed = parseEnvelope(reply.text);
  if (parsed.fault === undefined)
    throw new Error(`expected a fault, got HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
  return parsed.fault;
}
