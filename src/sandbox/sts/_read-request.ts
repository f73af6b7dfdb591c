import { X509Certificate } from 'node:crypto';
import { WST } from '../../sts/constants.ts';
import { WSS_TOKEN } from '../../wss/algorithms.ts';
import { attributeValue, childElements, isNamed, textOnly } from '../../xml/dom.ts';
import { NS } from '../../xml/namespaces.ts';
import type { Element } from '../../xml/node.ts';

/** A refusal: the WS-Trust fault code and the precise reason for the sandbox log. */
export class StsRefusal extends Error {
  constructor(
    readonly faultCode: 'InvalidRequest' | 'FailedAuthentication' | 'RequestFailed',
    readonly reason: string,
  ) {
    super(reason);
  }
}

export type StsRequest =
  | {
      readonly kind: 'issue';
      readonly context: string | undefined;
      readonly claims: readonly string[];
      readonly useKey: X509Certificate;
    }
  | { readonly kind: 'answer'; readonly context: string | undefined; readonly challenge: string };

const text = (el: Element | undefined): string => (el ? (textOnly(el) ?? '') : '').trim();
const one = (parent: Element, name: string): Element | undefined => {
  const list = childElements(parent, WST.ns, name);
  return list.length === 1 ? list[0] : undefined;
};

function readUseKey(rst: Element): X509Certificate {
  const useKey = one(rst, 'UseKey');
  const bsts = useKey ? childElements(useKey) : [];
  const bst = bsts[0];
  if (
    bsts.length !== 1 ||
    !isNamed(bst, NS.wsse, 'BinarySecurityToken') ||
    attributeValue(bst, null, 'ValueType') !== WSS_TOKEN.x509v3
  ) {
    throw new StsRefusal('InvalidRequest', 'UseKey must hold one X509v3 BinarySecurityToken');
  }
  try {
    return new X509Certificate(Buffer.from(text(bst).replace(/\s+/g, ''), 'base64'));
  } catch {
    throw new StsRefusal('InvalidRequest', 'UseKey does not hold a certificate');
  }
}

/**
 * Reads the verified Body of a request to the sandbox STS: an Issue RST (TokenType SAMLV1.1,
 * RequestType Issue, KeyType PublicKey, Claims in the authclaims dialect, UseKey certificate),
 * or an RSTR answering a SignChallenge. Anything else is a StsRefusal (InvalidRequest).
 */
export function readStsRequest(body: Element, knownClaims: readonly string[]): StsRequest {
  const payload = childElements(body);
  const [el] = payload;
  if (payload.length !== 1 || !el)
    throw new StsRefusal('InvalidRequest', 'the Body must hold exactly one WS-Trust element');
  const context = attributeValue(el, null, 'Context');
  if (isNamed(el, WST.ns, 'RequestSecurityTokenResponse')) {
    const response = one(el, 'SignChallengeResponse');
    const challenge = response ? childElements(response, WST.ns, 'Challenge') : [];
    if (challenge.length !== 1) throw new StsRefusal('InvalidRequest', 'an RSTR must answer a SignChallenge');
    return { kind: 'answer', context, challenge: text(challenge[0]) };
  }
  if (!isNamed(el, WST.ns, 'RequestSecurityToken'))
    throw new StsRefusal('InvalidRequest', 'not a RequestSecurityToken');
  if (text(one(el, 'TokenType')) !== WST.tokenTypeSaml11)
    throw new StsRefusal('InvalidRequest', 'TokenType must be SAMLV1.1');
  if (text(one(el, 'RequestType')) !== WST.requestIssue)
    throw new StsRefusal('InvalidRequest', 'RequestType must be Issue');
  if (text(one(el, 'KeyType')) !== WST.keyTypePublicKey)
    throw new StsRefusal('InvalidRequest', 'KeyType must be PublicKey');
  const claimsEl = one(el, 'Claims');
  if (!claimsEl || attributeValue(claimsEl, null, 'Dialect') !== WST.claimsDialect)
    throw new StsRefusal('InvalidRequest', 'Claims in the authclaims dialect are required');
  const claims = childElements(claimsEl).map((c) => {
    if (!isNamed(c, WST.authNs, 'ClaimType') || childElements(c).length > 0)
      throw new StsRefusal('InvalidRequest', 'Claims may only hold auth:ClaimType elements');
    const uri = attributeValue(c, null, 'Uri') ?? '';
    if (!knownClaims.includes(uri))
      throw new StsRefusal('InvalidRequest', `unknown claim ${uri.slice(0, 120)}`);
    return uri;
  });
  if (claims.length === 0 || new Set(claims).size !== claims.length)
    throw new StsRefusal('InvalidRequest', 'claims must be listed once each');
  return { kind: 'issue', context, claims, useKey: readUseKey(el) };
}
