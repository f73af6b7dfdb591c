import type { MtomAttachment } from '../../src/soap/mtom/types.ts';
import { appendXopInclude } from '../../src/soap/mtom/xop.ts';
import { parseXml } from '../../src/xml/parse.ts';
import { serializeXml } from '../../src/xml/serialize.ts';

/** A request envelope whose Body holds one <t:doc> per attachment, each an xop:Include (built on the DOM). */
export function mtomEnvelope(
  attachments: readonly MtomAttachment[],
  opts: { declareXopOnEnvelope?: boolean } = {},
): string {
  const xop = opts.declareXopOnEnvelope ? ' xmlns:xop="http://www.w3.org/2004/08/xop/include"' : '';
  const doc = parseXml(
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="urn:test"${xop}><soapenv:Header/>` +
      '<soapenv:Body><t:upload><t:ticket>t-1</t:ticket></t:upload></soapenv:Body></soapenv:Envelope>',
  );
  const upload = doc.getElementsByTagNameNS('urn:test', 'upload').item(0)!;
  for (const a of attachments) {
    const d = doc.createElementNS('urn:test', 't:doc');
    d.setAttribute('name', a.contentId);
    upload.appendChild(d);
    appendXopInclude(d, a.contentId);
  }
  return serializeXml(doc);
}
