import type { Credential } from '../../pki/credential.ts';
import { excC14n } from '../../xml/c14n.ts';
import { NS } from '../../xml/namespaces.ts';
import type { Document, Element } from '../../xml/node.ts';
import { ALG } from '../../xmldsig/algorithms.ts';
import { digestElement } from '../../xmldsig/references.ts';
import { computeSignatureValue } from '../../xmldsig/signature-value.ts';

function ds(
  doc: Document,
  name: string,
  attrs: Record<string, string> = {},
  children: (Element | string)[] = [],
): Element {
  const e = doc.createElementNS(NS.ds, `ds:${name}`);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  return e;
}

/**
 * Appends the enveloped XML signature of a SAML assertion, as the STS makes it: exclusive c14n
 * SignedInfo, one Reference "#AssertionID" with enveloped-signature then exclusive c14n,
 * SHA-256, RSA-SHA256 (ECDSA-SHA256 for an EC key), KeyInfo with the STS certificate.
 */
export function signAssertionElement(assertion: Element, assertionId: string, signer: Credential): void {
  const doc = assertion.ownerDocument!;
  const signatureAlgorithm = signer.keyKind === 'ec' ? ALG.ecdsaSha256 : ALG.rsaSha256;
  const digestValue = ds(doc, 'DigestValue');
  const signedInfo = ds(doc, 'SignedInfo', {}, [
    ds(doc, 'CanonicalizationMethod', { Algorithm: ALG.excC14n }),
    ds(doc, 'SignatureMethod', { Algorithm: signatureAlgorithm }),
    ds(doc, 'Reference', { URI: `#${assertionId}` }, [
      ds(doc, 'Transforms', {}, [
        ds(doc, 'Transform', { Algorithm: ALG.envelopedSignature }),
        ds(doc, 'Transform', { Algorithm: ALG.excC14n }),
      ]),
      ds(doc, 'DigestMethod', { Algorithm: ALG.sha256 }),
      digestValue,
    ]),
  ]);
  const signatureValue = ds(doc, 'SignatureValue');
  const signature = ds(doc, 'Signature', {}, [
    signedInfo,
    signatureValue,
    ds(doc, 'KeyInfo', {}, [
      ds(doc, 'X509Data', {}, [ds(doc, 'X509Certificate', {}, [signer.certificate.raw.toString('base64')])]),
    ]),
  ]);
  signature.setAttributeNS(NS.xmlns, 'xmlns:ds', NS.ds);
  assertion.appendChild(signature);
  digestValue.appendChild(
    doc.createTextNode(digestElement(assertion, ALG.sha256, [], signature).toString('base64')),
  );
  const value = computeSignatureValue(signatureAlgorithm, signer.privateKey, excC14n(signedInfo));
  signatureValue.appendChild(doc.createTextNode(value.toString('base64')));
}
