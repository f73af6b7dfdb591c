import { timingSafeEqual } from 'node:crypto';
import type { Transform } from 'node:stream';
import { type Clock, systemClock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { findXopIncludes, type XopInclude } from '../soap/mtom/xop.ts';
import { excC14n } from '../xml/c14n.ts';
import { parseXml } from '../xml/parse.ts';
import { locateEnvelope } from './_envelope.ts';
import { collectIds } from './_ids.ts';
import { _expandedBodySegments, _XopBodyDigest, type XopBase64Form } from './_mtom-digest.ts';
import { checkDigest, resolveReferences } from './_references.ts';
import { checkSignatureValue } from './_signature-value.ts';
import { parseSignature } from './_signed-info.ts';
import { classifySignedParts } from './_signed-parts.ts';
import { resolveX509Token } from './_token.ts';
import { checkFreshness, locateSecurity, requireSignedParts, trustSigner } from './_verify-steps.ts';
import { DEFAULT_DIGEST_ALGORITHMS, DEFAULT_SIGNATURE_ALGORITHMS, DIGEST_HASH } from './algorithms.ts';
import type { SignedPart, VerifiedEnvelope, VerifyEnvelopeOptions } from './verify.ts';

export interface VerifyMtomEnvelopeOptions extends VerifyEnvelopeOptions {
  /** How the sender wrote attachments in the XOP-expanded Body it digested. Default `canonical`. */
  readonly xopBase64?: XopBase64Form;
}

export interface MtomVerification {
  /** Everything but the attachments' contribution to the Body digest is verified when this is returned. */
  readonly envelope: VerifiedEnvelope;
  /** The Body's xop:Include elements, in document order: feed the attachments in this order. */
  readonly includes: readonly XopInclude[];
  /** A pass-through stream that feeds this attachment into the Body digest; the next include's only. */
  digestStream(contentId: string): Transform;
  /** After every attachment went through its digestStream: throws ERR_WSS_DIGEST_MISMATCH unless the Body digest matches. */
  complete(): void;
}

function mismatch(id: string): never {
  throw new PasserelleError(
    'ERR_WSS_DIGEST_MISMATCH',
    `The digest of the element "${id}" does not match: it or an attachment was changed after signing`,
    {
      details: { id },
    },
  );
}

/**
 * Verifies a signed MTOM message in two phases, so that attachments stream. Now: everything
 * `verifyEnvelope` checks (hardened parsing, unique ids, one Security header and Signature,
 * allow-listed algorithms, wrapping, required parts — the Body always —, signer chain to `trust`,
 * SignatureValue, the digests of every reference but the Body's, timestamp, replay), plus the XOP
 * rules (xop:Include in the Body only). Then, as the caller streams each attachment through
 * `digestStream` in document order, the Body digest over the XOP-expanded Body (WSS4J's rule:
 * the attachment's base64 text in place of the xop:Include) is computed, and `complete()` compares
 * it. Fail closed: nothing read from an attachment may be trusted before `complete()` returns.
 */
export function verifyMtomEnvelope(xml: string, options: VerifyMtomEnvelopeOptions): MtomVerification {
  const {
    trust,
    intermediates = [],
    clock = systemClock as Clock,
    maxSkewSeconds = 60,
    maxTtlSeconds = 300,
    replayCache,
    allowedAlgorithms = {},
  } = options;
  const { actor, xmlLimits, xopBase64 = 'canonical' } = options;
  if (!Array.isArray(trust) || trust.length === 0)
    throw new TypeError('verifyMtomEnvelope: `trust` must list at least one certificate');
  if (xopBase64 !== 'canonical' && xopBase64 !== 'mime76')
    throw new TypeError('verifyMtomEnvelope: xopBase64 is canonical or mime76');
  const require = [...new Set<SignedPart>(['body', ...(options.require ?? ['body', 'timestamp', 'bst'])])];
  const policy = {
    signatureAlgorithms: allowedAlgorithms.signature ?? DEFAULT_SIGNATURE_ALGORITHMS,
    digestAlgorithms: allowedAlgorithms.digest ?? DEFAULT_DIGEST_ALGORITHMS,
    allowEnvelopedSignature: false,
  };
  const document = parseXml(xml, xmlLimits ? { limits: xmlLimits } : {});
  const { envelope, header, body } = locateEnvelope(document);
  const includes = findXopIncludes(body);
  if (findXopIncludes(document).length !== includes.length) {
    throw new PasserelleError(
      'ERR_MTOM_BAD_REFERENCE',
      'An xop:Include outside the Body is not covered by the signature',
    );
  }
  const ids = collectIds(document);
  const { security, signature, timestamp: timestampEl } = locateSecurity(header, actor);

  const parsed = parseSignature(signature, policy);
  const token = resolveX509Token(parsed.keyInfo, security, ids);
  const targets = resolveReferences(parsed.references, ids);
  const signedParts = classifySignedParts(targets, { body, timestamp: timestampEl, bst: token.bst });
  requireSignedParts(require, signedParts, timestampEl);
  const now = clock.now();
  trustSigner(token.certificate, trust, intermediates, now);
  checkSignatureValue(
    parsed.signatureAlgorithm,
    token.certificate.publicKey,
    excC14n(parsed.signedInfo, { inclusivePrefixes: parsed.c14nPrefixes }),
    parsed.signatureValue,
  );
  const bodyIndex = signedParts.indexOf('body');
  parsed.references.forEach((ref, i) => {
    if (i !== bodyIndex || includes.length === 0) checkDigest(ref, targets[i]!, parsed.signature);
  });
  const window = checkFreshness(timestampEl, parsed.signatureValue, {
    now,
    maxSkewSeconds,
    maxTtlSeconds,
    replayCache,
  });

  const bodyRef = parsed.references[bodyIndex]!;
  const digest =
    includes.length === 0
      ? undefined
      : new _XopBodyDigest(
          DIGEST_HASH[bodyRef.digestAlgorithm]!,
          _expandedBodySegments(body, includes, bodyRef.prefixes),
          xopBase64,
        );
  let next = 0;
  return {
    envelope: {
      signer: token.certificate,
      signedParts,
      document,
      envelope,
      header: header!,
      security,
      body,
      timestamp: window
        ? { created: new Date(window.created), expires: new Date(window.expires) }
        : undefined,
      signatureValue: parsed.signatureValue.toString('base64'),
    },
    includes,
    digestStream(contentId) {
      if (!digest || includes[next]?.contentId !== contentId)
        throw new TypeError(`verifyMtomEnvelope: cid:${contentId} is not the next xop:Include of the Body`);
      return digest.transform(next++);
    },
    complete() {
      if (!digest) return;
      const actual = digest.digest();
      const expected = bodyRef.digestValue;
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) mismatch(bodyRef.id);
    },
  };
}
