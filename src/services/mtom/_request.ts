import { buildEnvelope } from '../../soap/build-envelope.ts';
import type { MtomAttachment } from '../../soap/mtom/types.ts';
import { signMtomEnvelope, type XopBase64Form } from '../../wss/mtom-sign.ts';
import type { Document, Element } from '../../xml/node.ts';
import type { ServiceContext } from '../service-context.ts';
import { _declare } from '../xml.ts';
import { MTOM_TEST } from './names.ts';

/** Builds the request (prefix `m`, DOM only) and signs it with the XOP-expanded Body digest. */
export async function _signedRequest(
  ctx: ServiceContext,
  name: string,
  fill: (doc: Document, request: Element) => void,
  attachments: readonly MtomAttachment[],
  xopBase64: XopBase64Form,
): Promise<string> {
  const xml = buildEnvelope({
    header: () => [],
    body: (doc) => {
      const request = _declare(doc.createElementNS(MTOM_TEST.ns, `m:${name}`), 'm', MTOM_TEST.ns);
      fill(doc, request);
      return request;
    },
  });
  return signMtomEnvelope(xml, attachments, {
    credential: ctx.signingCredential(),
    clock: ctx.clock,
    ttlSeconds: ctx.ttlSeconds,
    inclusiveNamespaces: ctx.inclusiveNamespaces,
    xopBase64,
  });
}
