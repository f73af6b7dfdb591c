import { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { base64Content } from '../xmldsig/base64.ts';
import type { SignaturePolicy } from '../xmldsig/references.ts';
import { type ParsedSignature, parseSignature } from '../xmldsig/signed-info.ts';
import { samlInvalid } from './_util.ts';

/**
 * Parses the enveloped ds:Signature of an assertion under `policy`: exactly one Reference,
 * whose URI is "#<AssertionID>" of this very assertion, with the enveloped-signature transform
 * then exclusive c14n. URI="" (the whole document) is accepted only when the assertion is the
 * document element, where it means the same thing; inside a message it would name the envelope.
 */
export function parseAssertionSignature(
  assertion: Element,
  signature: Element,
  assertionId: string,
  policy: SignaturePolicy,
): ParsedSignature {
  const signedInfo = childElements(signature, NS.ds, 'SignedInfo')[0];
  const refs = signedInfo ? childElements(signedInfo, NS.ds, 'Reference') : [];
  if (refs.length !== 1) samlInvalid('The assertion signature must hold exactly one Reference');
  const uri = attributeValue(refs[0]!, null, 'URI');
  let parsed: ParsedSignature;
  if (uri === '') {
    if (assertion.ownerDocument?.documentElement !== assertion) {
      throw new PasserelleError(
        'ERR_WSS_REFERENCE_INVALID',
        'An assertion embedded in a message must be signed by "#AssertionID", not URI=""',
      );
    }
    // Parse a copy whose Reference names the assertion by id; digest and c14n use the original.
    const copy = signature.cloneNode(true) as Element;
    const copyRef = childElements(childElements(copy, NS.ds, 'SignedInfo')[0]!, NS.ds, 'Reference')[0]!;
    copyRef.setAttribute('URI', `#${assertionId}`);
    const p = parseSignature(copy, policy);
    parsed = { ...p, signature, signedInfo: signedInfo! };
  } else {
    parsed = parseSignature(signature, policy);
  }
  const [ref] = parsed.references;
  if (ref!.id !== assertionId) {
    throw new PasserelleError(
      'ERR_WSS_WRAPPING',
      'The assertion signature references another element than its own assertion (signature wrapping)',
    );
  }
  if (!ref!.enveloped) samlInvalid('The assertion signature must use the enveloped-signature transform');
  return parsed;
}

/** The certificates of the signature's KeyInfo (ds:X509Data/ds:X509Certificate), signer first; [] without KeyInfo. */
export function signatureCertificates(keyInfo: Element | undefined): X509Certificate[] {
  if (!keyInfo) return [];
  const data = childElements(keyInfo);
  if (data.length !== 1 || !isNamed(data[0], NS.ds, 'X509Data'))
    samlInvalid('The assertion signature KeyInfo must hold one ds:X509Data');
  const certs = childElements(data[0]!);
  if (certs.length === 0 || !certs.every((c) => isNamed(c, NS.ds, 'X509Certificate'))) {
    samlInvalid('The assertion signature X509Data must hold ds:X509Certificate elements only');
  }
  return certs.map((c) => {
    try {
      return new X509Certificate(base64Content(c, 'X509Certificate'));
    } catch {
      return samlInvalid('The assertion signature certificate is not an X.509 certificate');
    }
  });
}
