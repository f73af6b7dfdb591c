import { PasserelleError } from '../errors.ts';
import { _digestChunks, _isReplayable } from '../soap/mtom/source.ts';
import type { MtomAttachment } from '../soap/mtom/types.ts';
import { findXopIncludes } from '../soap/mtom/xop.ts';
import { excC14n } from '../xml/c14n.ts';
import { attributeValue, childElements } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { serializeXml } from '../xml/serialize.ts';
import { readPrefixList } from '../xmldsig/c14n-method.ts';
import { setText } from '../xmldsig/dom-build.ts';
import { computeSignatureValue } from '../xmldsig/signature-value.ts';
import { locateEnvelope, securityHeadersFor } from './_envelope.ts';
import { _expandedBodySegments, _XopBodyDigest, type XopBase64Form } from './_mtom-digest.ts';
import { DIGEST_HASH } from './algorithms.ts';
import { type SignEnvelopeOptions, signEnvelope } from './sign.ts';

export type { XopBase64Form } from './_mtom-digest.ts';

export interface SignMtomEnvelopeOptions extends SignEnvelopeOptions {
  /** How attachments are written in the XOP-expanded Body that is digested. Default `canonical`. */
  readonly xopBase64?: XopBase64Form;
}

/** The Reference of SignedInfo whose URI is "#id". */
function referenceTo(signedInfo: Element, id: string): Element {
  const ref = childElements(signedInfo, NS.ds, 'Reference').find(
    (r) => attributeValue(r, null, 'URI') === `#${id}`,
  );
  if (!ref) throw new TypeError('signMtomEnvelope: the signature does not reference the Body');
  return ref;
}

/**
 * Signs an MTOM request the way WSS4J signs an XOP message: `signEnvelope` (BST, Timestamp,
 * Signature over Timestamp, Body and BST), then the Body reference's digest is recomputed over
 * the XOP-expanded Body — each xop:Include replaced by its attachment's base64 text — and the
 * SignatureValue over the updated SignedInfo. The digest is a stream: the canonical text around
 * each include is hashed as is and each attachment is read once, base64-encoded chunk by chunk
 * into the hash, so no attachment is ever held in memory. The attachments are then sent as MTOM
 * parts (`buildMtom`), which reads them a second time: sources must be replayable (file, open,
 * data; TypeError for a one-shot stream). An include with no attachment, or an attachment no
 * include references, is a TypeError; an include outside the Body (unsigned) is
 * ERR_MTOM_BAD_REFERENCE.
 */
export async function signMtomEnvelope(
  xml: string,
  attachments: readonly MtomAttachment[],
  options: SignMtomEnvelopeOptions,
): Promise<string> {
  const { xopBase64 = 'canonical', xmlLimits, ...signOptions } = options;
  if (xopBase64 !== 'canonical' && xopBase64 !== 'mime76')
    throw new TypeError('signMtomEnvelope: xopBase64 is canonical or mime76');
  const signed = signEnvelope(xml, { ...signOptions, ...(xmlLimits ? { xmlLimits } : {}) });
  const doc = parseXml(signed, xmlLimits ? { limits: xmlLimits } : {});
  const { header, body } = locateEnvelope(doc);
  const includes = findXopIncludes(body);
  if (findXopIncludes(doc).length !== includes.length) {
    throw new PasserelleError(
      'ERR_MTOM_BAD_REFERENCE',
      'An xop:Include outside the Body would not be signed',
    );
  }
  const byId = new Map(attachments.map((a) => [a.contentId, a]));
  if (byId.size !== attachments.length) throw new TypeError('signMtomEnvelope: a Content-ID is given twice');
  for (const { contentId } of includes) {
    const a = byId.get(contentId);
    if (!a) throw new TypeError(`signMtomEnvelope: no attachment is given for cid:${contentId}`);
    if (!_isReplayable(a.source))
      throw new TypeError(
        'signMtomEnvelope: attachments must be files, open() factories or data (read twice)',
      );
  }
  if (attachments.length !== includes.length)
    throw new TypeError('signMtomEnvelope: an attachment is not referenced by any xop:Include');
  if (includes.length === 0) return signed;

  const security = securityHeadersFor(header)[0]!;
  const signature = childElements(security, NS.ds, 'Signature')[0]!;
  const [signedInfo, signatureValue] = childElements(signature);
  const bodyId = attributeValue(body, NS.wsu, 'Id') ?? attributeValue(body, null, 'Id') ?? '';
  const ref = referenceTo(signedInfo!, bodyId);
  const [transforms, digestMethod, digestValue] = childElements(ref);
  const prefixes = readPrefixList(childElements(transforms!).at(-1)!);
  const hashName = DIGEST_HASH[attributeValue(digestMethod!, null, 'Algorithm') ?? ''];
  if (hashName === undefined) throw new TypeError('signMtomEnvelope: unsupported digest algorithm');

  const digest = new _XopBodyDigest(hashName, _expandedBodySegments(body, includes, prefixes), xopBase64);
  const used = new WeakSet<object>();
  for (const [i, { contentId }] of includes.entries()) {
    digest.begin(i);
    for await (const chunk of _digestChunks(byId.get(contentId)!.source, used)) digest.update(chunk);
    digest.end();
  }
  setText(digestValue!, digest.digest().toString('base64'));
  const [c14nMethod, signatureMethod] = childElements(signedInfo!);
  const canonical = excC14n(signedInfo!, { inclusivePrefixes: readPrefixList(c14nMethod!) });
  const value = computeSignatureValue(
    attributeValue(signatureMethod!, null, 'Algorithm') ?? '',
    options.credential.privateKey,
    canonical,
  );
  setText(signatureValue!, value.toString('base64'));
  return serializeXml(doc);
}
