import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../clock.ts';
import { isPasserelleError, PasserelleError } from '../../errors.ts';
import type { Credential } from '../../pki/credential.ts';
import { MTOM_TEST } from '../../services/mtom/names.ts';
import { buildEnvelope } from '../../soap/build-envelope.ts';
import { buildFault } from '../../soap/build-fault.ts';
import { buildMtom } from '../../soap/mtom/build-mtom.ts';
import type { MtomAttachment } from '../../soap/mtom/types.ts';
import { signMtomEnvelope } from '../../wss/mtom-sign.ts';
import type { Document, Element } from '../../xml/node.ts';
import { _sendXml } from '../_xml-reply.ts';

/** Builds `<m:{name}>` in the test namespace, signs the reply (XOP-expanded Body) and streams it as MTOM. */
export async function _sendSigned(
  res: ServerResponse,
  signer: { credential: Credential; clock: Clock },
  name: string,
  fill: (doc: Document, el: Element) => void,
  attachments: readonly MtomAttachment[] = [],
): Promise<void> {
  const xml = buildEnvelope({
    header: () => [],
    body: (doc) => {
      const el = doc.createElementNS(MTOM_TEST.ns, `m:${name}`);
      el.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:m', MTOM_TEST.ns);
      fill(doc, el);
      return el;
    },
  });
  const signed = await signMtomEnvelope(xml, attachments, signer);
  if (attachments.length === 0) {
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    res.end(signed);
    return;
  }
  const pkg = await buildMtom(signed, attachments);
  res.writeHead(200, {
    'content-type': pkg.contentType,
    ...(pkg.contentLength === undefined ? {} : { 'content-length': String(pkg.contentLength) }),
  });
  await pipeline(pkg.body, res);
}

/**
 * Bounds a reply the client stops reading: once the reply is under way, `idleMs` without the
 * socket taking a byte destroys the connection, and `onCut` gets the reason
 * (ERR_SANDBOX_REQUEST_TIMEOUT) for the log. A client reading slowly but steadily is never cut.
 */
export function _guardReply(
  res: ServerResponse,
  idleMs: number,
  onCut: (reason: PasserelleError) => void,
): void {
  // On the response, not the socket: the listener goes with this response, and once it ends
  // Node puts the socket back under its keep-alive timeout.
  res.setTimeout(idleMs, () => {
    onCut(
      new PasserelleError(
        'ERR_SANDBOX_REQUEST_TIMEOUT',
        `The client read nothing of the reply for ${idleMs} ms`,
        {
          details: { timeout: 'reply-idle', ms: idleMs },
        },
      ),
    );
    res.destroy();
  });
}

/** The SOA code a failure is answered with; the precise reason goes to the sandbox log only. */
export function _soaCodeFor(error: unknown): string {
  if (isPasserelleError(error)) {
    if (error.code.startsWith('ERR_WSS_')) return 'SOA-01001';
    if (
      error.code.startsWith('ERR_MTOM_') ||
      error.code.startsWith('ERR_XML_') ||
      error.code.startsWith('ERR_SOAP_') ||
      error.code.startsWith('ERR_SANDBOX_REQUEST_')
    )
      return 'SOA-03001';
  }
  return 'SOA-00001';
}

/** A SOAP fault (HTTP 500 by default), then the connection closes: the rest of a refused upload is not read. */
export function _sendFault(res: ServerResponse, code: string, status = 500, endAfter?: Promise<void>): void {
  const xml = buildFault({
    faultcode: code === 'SOA-00001' ? 'Server' : 'Client',
    soa: { code, environment: 'Sandbox' },
  });
  _sendXml(res, status, xml, { endAfter, close: true });
}
