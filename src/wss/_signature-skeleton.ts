import { NS } from '../xml/namespaces.ts';
import type { Document, Element } from '../xml/node.ts';
import { declare, element } from '../xmldsig/dom-build.ts';
import { ALG, WSS_TOKEN } from './algorithms.ts';

export interface SkeletonReference {
  readonly id: string;
  /** PrefixList of its exc-c14n transform; undefined writes no InclusiveNamespaces. */
  readonly prefixes: readonly string[] | undefined;
}

export interface SkeletonSpec {
  readonly doc: Document;
  /** Prefixes bound to the wsse and wsu namespaces where the Signature will sit. */
  readonly wsse: string;
  readonly wsu: string;
  readonly signatureAlgorithm: string;
  readonly digestAlgorithm: string;
  /** PrefixList of the SignedInfo canonicalisation; undefined writes no InclusiveNamespaces. */
  readonly c14nPrefixes: readonly string[] | undefined;
  readonly references: readonly SkeletonReference[];
  readonly bstId: string;
  readonly signatureId: string;
  readonly keyInfoId: string;
  readonly strId: string;
}

function excC14nMethod(doc: Document, qname: string, prefixes: readonly string[] | undefined): Element {
  const method = element(doc, NS.ds, qname, [[null, 'Algorithm', ALG.excC14n]]);
  if (prefixes !== undefined) {
    const inc = element(doc, NS.ec, 'ec:InclusiveNamespaces', [[null, 'PrefixList', prefixes.join(' ')]]);
    declare(inc, 'ec', NS.ec);
    method.appendChild(inc);
  }
  return method;
}

/**
 * The ds:Signature of the X.509 token profile, with empty DigestValue and SignatureValue (see
 * fillSignature): exc-c14n SignedInfo, one Reference per signed id with an exc-c14n Transform
 * and the digest method, and KeyInfo = wsse:SecurityTokenReference/wsse:Reference to the BST.
 */
export function signatureSkeleton(spec: SkeletonSpec): Element {
  const { doc } = spec;
  const references = spec.references.map((r) =>
    element(
      doc,
      NS.ds,
      'ds:Reference',
      [[null, 'URI', `#${r.id}`]],
      [
        element(doc, NS.ds, 'ds:Transforms', [], [excC14nMethod(doc, 'ds:Transform', r.prefixes)]),
        element(doc, NS.ds, 'ds:DigestMethod', [[null, 'Algorithm', spec.digestAlgorithm]]),
        element(doc, NS.ds, 'ds:DigestValue'),
      ],
    ),
  );
  const signedInfo = element(
    doc,
    NS.ds,
    'ds:SignedInfo',
    [],
    [
      excC14nMethod(doc, 'ds:CanonicalizationMethod', spec.c14nPrefixes),
      element(doc, NS.ds, 'ds:SignatureMethod', [[null, 'Algorithm', spec.signatureAlgorithm]]),
      ...references,
    ],
  );
  const keyInfo = element(
    doc,
    NS.ds,
    'ds:KeyInfo',
    [[null, 'Id', spec.keyInfoId]],
    [
      element(
        doc,
        NS.wsse,
        `${spec.wsse}:SecurityTokenReference`,
        [[NS.wsu, `${spec.wsu}:Id`, spec.strId]],
        [
          element(doc, NS.wsse, `${spec.wsse}:Reference`, [
            [null, 'URI', `#${spec.bstId}`],
            [null, 'ValueType', WSS_TOKEN.x509v3],
          ]),
        ],
      ),
    ],
  );
  const signature = element(
    doc,
    NS.ds,
    'ds:Signature',
    [[null, 'Id', spec.signatureId]],
    [signedInfo, element(doc, NS.ds, 'ds:SignatureValue'), keyInfo],
  );
  declare(signature, 'ds', NS.ds);
  return signature;
}
