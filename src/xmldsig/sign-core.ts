import type { KeyObject } from 'node:crypto';
import { excC14n } from '../xml/c14n.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { readPrefixList } from './c14n-method.ts';
import { setText } from './dom-build.ts';
import type { IdLookup } from './ids.ts';
import { canonicalDigest } from './references.ts';
import { computeSignatureValue } from './signature-value.ts';

/**
 * Fills a ds:Signature skeleton in place: for each Reference of its SignedInfo, the digest of the
 * element its "#id" names (exclusive c14n with the Transform's PrefixList); then the
 * SignatureValue over exclusive-c14n SignedInfo. The skeleton and every target must already sit
 * at their final place in the document, since canonical forms depend on namespace context.
 */
export function fillSignature(signature: Element, ids: IdLookup, privateKey: KeyObject): void {
  const [signedInfo, signatureValue] = childElements(signature);
  if (!isNamed(signedInfo, NS.ds, 'SignedInfo') || !isNamed(signatureValue, NS.ds, 'SignatureValue')) {
    throw new TypeError('fillSignature: not a Signature skeleton');
  }
  const [c14nMethod, signatureMethod, ...refs] = childElements(signedInfo);
  for (const ref of refs) {
    const id = (attributeValue(ref, null, 'URI') ?? '').slice(1);
    const target = ids.get(id);
    if (!target) throw new TypeError(`fillSignature: no element has the id ${id}`);
    const [transforms, digestMethod, digestValue] = childElements(ref);
    const transform = childElements(transforms!).at(-1)!;
    const digest = canonicalDigest(
      target,
      attributeValue(digestMethod!, null, 'Algorithm') ?? '',
      readPrefixList(transform),
      undefined,
      'base64',
    );
    setText(digestValue!, digest);
  }
  const canonical = excC14n(signedInfo, { inclusivePrefixes: readPrefixList(c14nMethod!) });
  const value = computeSignatureValue(
    attributeValue(signatureMethod!, null, 'Algorithm') ?? '',
    privateKey,
    canonical,
  );
  setText(signatureValue, value.toString('base64'));
}
