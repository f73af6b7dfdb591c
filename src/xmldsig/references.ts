import { hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import { PasserelleError } from '../errors.ts';
import { excC14n } from '../xml/c14n.ts';
import { attributeValue, childElements, isNamed } from '../xml/dom.ts';
import { NS } from '../xml/namespaces.ts';
import type { Element } from '../xml/node.ts';
import { ALG, DEFAULT_DIGEST_ALGORITHMS, DEFAULT_SIGNATURE_ALGORITHMS, digestHashOf } from './algorithms.ts';
import { base64Content } from './base64.ts';
import { readPrefixList } from './c14n-method.ts';
import { type IdLookup, NCNAME } from './ids.ts';

/** What a signature policy allows; shared by the X.509 and (later) SAML holder-of-key verifiers. */
export interface SignaturePolicy {
  readonly signatureAlgorithms: readonly string[];
  readonly digestAlgorithms: readonly string[];
  /** Allow the enveloped-signature transform (before exc-c14n): for signed SAML assertions. */
  readonly allowEnvelopedSignature: boolean;
}

/** Allow-lists of algorithm URIs a verifier accepts; each defaults to DEFAULT_*_ALGORITHMS. */
export interface AllowedAlgorithms {
  readonly signature?: readonly string[];
  readonly digest?: readonly string[];
}

/** The policy of a verifier configured with `allowed` (defaults filled in). */
export function signaturePolicy(
  allowed: AllowedAlgorithms = {},
  allowEnvelopedSignature = false,
): SignaturePolicy {
  return {
    signatureAlgorithms: allowed.signature ?? DEFAULT_SIGNATURE_ALGORITHMS,
    digestAlgorithms: allowed.digest ?? DEFAULT_DIGEST_ALGORITHMS,
    allowEnvelopedSignature,
  };
}

export interface ParsedReference {
  /** The referenced id (the URI without its '#'). */
  readonly id: string;
  readonly enveloped: boolean;
  readonly prefixes: readonly string[];
  readonly digestAlgorithm: string;
  readonly digestValue: Buffer;
}

const malformed = (message: string): never => {
  throw new PasserelleError('ERR_WSS_MALFORMED', message);
};

const notAllowed = (what: string, alg: string): never => {
  throw new PasserelleError('ERR_WSS_ALG_NOT_ALLOWED', `${what} ${alg.slice(0, 120)} is not allowed`, {
    hint: 'Sign with exclusive c14n, SHA-256 (or stronger) digests and RSA-SHA256/ECDSA-SHA256 (or stronger).',
    details: { algorithm: alg.slice(0, 120) },
  });
};

/**
 * Parses one ds:Reference under the policy: URI must be a same-document "#id" (no external,
 * empty or XPointer URI: ERR_WSS_REFERENCE_INVALID); Transforms must be exactly exc-c14n,
 * optionally preceded by enveloped-signature when the policy allows it; the digest algorithm
 * must be allowed (ERR_WSS_ALG_NOT_ALLOWED).
 */
export function parseReference(ref: Element, policy: SignaturePolicy): ParsedReference {
  const uri = attributeValue(ref, null, 'URI');
  if (uri === undefined || !uri.startsWith('#') || !NCNAME.test(uri.slice(1))) {
    throw new PasserelleError(
      'ERR_WSS_REFERENCE_INVALID',
      'Only same-document references by id ("#id") are accepted',
      {
        details: { uri: (uri ?? '(none)').slice(0, 120) },
      },
    );
  }
  const children = childElements(ref);
  if (
    children.length !== 3 ||
    !isNamed(children[0], NS.ds, 'Transforms') ||
    !isNamed(children[1], NS.ds, 'DigestMethod') ||
    !isNamed(children[2], NS.ds, 'DigestValue')
  ) {
    throw new PasserelleError(
      'ERR_WSS_ALG_NOT_ALLOWED',
      'A Reference must list Transforms (exclusive c14n), DigestMethod and DigestValue',
      {
        details: { uri: uri.slice(0, 120) },
      },
    );
  }
  const transforms = childElements(children[0]);
  if (transforms.length === 0 || !transforms.every((t) => isNamed(t, NS.ds, 'Transform')))
    malformed('Invalid ds:Transforms');
  const algs = transforms.map((t) => attributeValue(t, null, 'Algorithm') ?? '');
  const enveloped = algs.length === 2 && algs[0] === ALG.envelopedSignature;
  if (enveloped && !policy.allowEnvelopedSignature) notAllowed('Transform', ALG.envelopedSignature);
  if (algs.length > (enveloped ? 2 : 1)) notAllowed('Transform chain', algs.join(' '));
  if (algs[algs.length - 1] !== ALG.excC14n) notAllowed('Transform', algs[algs.length - 1]!);
  if (enveloped && childElements(transforms[0]!).length > 0)
    malformed('The enveloped-signature transform takes no parameters');
  const prefixes = readPrefixList(transforms[transforms.length - 1]!);
  const digestAlgorithm = attributeValue(children[1]!, null, 'Algorithm') ?? '';
  if (!policy.digestAlgorithms.includes(digestAlgorithm) || digestHashOf(digestAlgorithm) === undefined) {
    notAllowed('Digest algorithm', digestAlgorithm);
  }
  if (childElements(children[1]!).length > 0) malformed('DigestMethod takes no parameters');
  const digestValue = base64Content(children[2]!, 'DigestValue');
  return { id: uri.slice(1), enveloped, prefixes, digestAlgorithm, digestValue };
}

/** The base64 digest of `el` after exclusive c14n (and the enveloped-signature transform when given). */
export function digestElement(
  el: Element,
  digestAlgorithm: string,
  prefixes: readonly string[],
  exclude?: Element,
): Buffer {
  return Buffer.from(canonicalDigest(el, digestAlgorithm, prefixes, exclude, 'hex'), 'hex');
}

/**
 * digestElement as text in `encoding` (what a DigestValue holds with 'base64'). One-shot hashing
 * to a string is about a microsecond cheaper than to a Buffer on Node 20.
 */
export function canonicalDigest(
  el: Element,
  digestAlgorithm: string,
  prefixes: readonly string[],
  exclude: Element | undefined,
  encoding: 'hex' | 'base64',
): string {
  const hash = digestHashOf(digestAlgorithm);
  if (hash === undefined) throw new TypeError(`Unsupported digest algorithm ${digestAlgorithm}`);
  return oneShotHash(hash, excC14n(el, { inclusivePrefixes: prefixes, exclude: exclude ?? null }), encoding);
}

/**
 * Recomputes the digest of the element a reference resolved to and compares it in constant
 * time (ERR_WSS_DIGEST_MISMATCH). `signature` is the enclosing ds:Signature, left out when the
 * reference uses the enveloped-signature transform (it must then lie inside the target).
 */
export function checkDigest(ref: ParsedReference, target: Element, signature: Element): void {
  if (ref.enveloped) {
    let inside = false;
    for (let n = signature.parentNode; n; n = n.parentNode) if (n === target) inside = true;
    if (!inside)
      throw new PasserelleError(
        'ERR_WSS_REFERENCE_INVALID',
        'An enveloped-signature reference must target an ancestor of the signature',
      );
  }
  const actual = digestElement(
    target,
    ref.digestAlgorithm,
    ref.prefixes,
    ref.enveloped ? signature : undefined,
  );
  if (actual.length !== ref.digestValue.length || !timingSafeEqual(actual, ref.digestValue)) {
    throw new PasserelleError(
      'ERR_WSS_DIGEST_MISMATCH',
      `The digest of the element "${ref.id}" does not match: it was changed after signing`,
      {
        details: { id: ref.id },
      },
    );
  }
}

/**
 * Resolves each reference to the one element carrying its id: an id carried by several elements
 * is ERR_WSS_DUPLICATE_ID (see IdIndex); an unknown id, or two references to one element, is
 * ERR_WSS_REFERENCE_INVALID.
 */
export function resolveReferences(refs: readonly ParsedReference[], ids: IdLookup): Element[] {
  const targets: Element[] = [];
  for (const ref of refs) {
    const target = ids.get(ref.id);
    if (!target) {
      throw new PasserelleError(
        'ERR_WSS_REFERENCE_INVALID',
        `The reference "#${ref.id}" names no element of the message`,
        {
          details: { id: ref.id },
        },
      );
    }
    if (targets.includes(target)) {
      throw new PasserelleError('ERR_WSS_REFERENCE_INVALID', 'Two references name the same element', {
        details: { id: ref.id },
      });
    }
    targets.push(target);
  }
  return targets;
}
