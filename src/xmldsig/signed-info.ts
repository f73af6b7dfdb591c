import { PasserelleError } from '../errors.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { ALG, signatureSchemeOf } from './algorithms.ts';
import { base64Content } from './base64.ts';
import { readPrefixList } from './c14n-method.ts';
import { type ParsedReference, parseReference, type SignaturePolicy } from './references.ts';

export interface ParsedSignature {
  readonly signature: Element;
  readonly signedInfo: Element;
  /** PrefixList of the SignedInfo canonicalisation. */
  readonly c14nPrefixes: readonly string[];
  readonly signatureAlgorithm: string;
  readonly references: readonly ParsedReference[];
  readonly signatureValue: Buffer;
  readonly keyInfo: Element | undefined;
}

const malformed = (message: string): never => {
  throw new PasserelleError('ERR_WSS_MALFORMED', message);
};

/**
 * Parses one ds:Signature strictly: children SignedInfo, SignatureValue, optional KeyInfo,
 * optional ds:Object(s) and nothing else; exactly one SignedInfo made of CanonicalizationMethod
 * (exc-c14n only), SignatureMethod (allow-listed) and at least one Reference (each checked by
 * parseReference). Nothing is resolved or verified here.
 */
export function parseSignature(signature: Element, policy: SignaturePolicy): ParsedSignature {
  const children = childElements(signature);
  const signedInfos = children.filter((c) => isNamed(c, NS.ds, 'SignedInfo'));
  if (signedInfos.length !== 1)
    malformed(`A Signature must contain exactly one SignedInfo (found ${signedInfos.length})`);
  const [signedInfo, signatureValueEl, ...rest] = children;
  if (!isNamed(signedInfo, NS.ds, 'SignedInfo') || !isNamed(signatureValueEl, NS.ds, 'SignatureValue')) {
    malformed('A Signature must start with SignedInfo then SignatureValue');
  }
  let keyInfo: Element | undefined;
  for (const [i, c] of rest.entries()) {
    if (i === 0 && isNamed(c, NS.ds, 'KeyInfo')) keyInfo = c;
    else if (!isNamed(c, NS.ds, 'Object')) malformed('Unexpected element in ds:Signature');
  }
  const parts = childElements(signedInfo!);
  const [c14nMethod, signatureMethod, ...refs] = parts;
  if (
    !isNamed(c14nMethod, NS.ds, 'CanonicalizationMethod') ||
    !isNamed(signatureMethod, NS.ds, 'SignatureMethod')
  ) {
    malformed('SignedInfo must start with CanonicalizationMethod then SignatureMethod');
  }
  if (refs.length === 0 || !refs.every((r) => isNamed(r, NS.ds, 'Reference'))) {
    malformed('SignedInfo must hold one or more References after SignatureMethod, and nothing else');
  }
  const c14nAlg = attributeValue(c14nMethod!, null, 'Algorithm') ?? '';
  if (c14nAlg !== ALG.excC14n) {
    throw new PasserelleError(
      'ERR_WSS_ALG_NOT_ALLOWED',
      `Canonicalisation ${c14nAlg.slice(0, 120)} is not allowed (exclusive c14n only)`,
      {
        details: { algorithm: c14nAlg.slice(0, 120) },
      },
    );
  }
  const signatureAlgorithm = attributeValue(signatureMethod!, null, 'Algorithm') ?? '';
  if (
    !policy.signatureAlgorithms.includes(signatureAlgorithm) ||
    signatureSchemeOf(signatureAlgorithm) === undefined
  ) {
    throw new PasserelleError(
      'ERR_WSS_ALG_NOT_ALLOWED',
      `Signature algorithm ${signatureAlgorithm.slice(0, 120)} is not allowed`,
      {
        hint: 'Sign with RSA-SHA256 or ECDSA-SHA256 (or stronger).',
        details: { algorithm: signatureAlgorithm.slice(0, 120) },
      },
    );
  }
  if (childElements(signatureMethod!).length > 0) malformed('SignatureMethod takes no parameters');
  return {
    signature,
    signedInfo: signedInfo!,
    c14nPrefixes: readPrefixList(c14nMethod!),
    signatureAlgorithm,
    references: refs.map((r) => parseReference(r, policy)),
    signatureValue: base64Content(signatureValueEl!, 'SignatureValue'),
    keyInfo,
  };
}
