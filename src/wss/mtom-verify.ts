import { timingSafeEqual } from 'node:crypto';
import type { Transform } from 'node:stream';
import { PasserelleError } from '../errors.ts';
import { findXopIncludes, type XopInclude } from '../soap/mtom/xop.ts';
import { parseXml } from '../xml/parse.ts';
import type { ParsedReference } from '../xmldsig/references.ts';
import { locateEnvelope } from './_envelope.ts';
import { _expandedBodySegments, _XopBodyDigest, type XopBase64Form } from './_mtom-digest.ts';
import { DIGEST_HASH } from './algorithms.ts';
import {
  _checkVerifyOptions,
  _verifyX509,
  type SignedPart,
  type VerifiedEnvelope,
  type VerifyEnvelopeOptions,
} from './verify.ts';

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

function mismatch(id: string): PasserelleError {
  return new PasserelleError(
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
  _checkVerifyOptions(options, 'verifyMtomEnvelope');
  const { xmlLimits, xopBase64 = 'canonical' } = options;
  if (xopBase64 !== 'canonical' && xopBase64 !== 'mime76')
    throw new TypeError('verifyMtomEnvelope: xopBase64 is canonical or mime76');
  const require = [...new Set<SignedPart>(['body', ...(options.require ?? ['body', 'timestamp', 'bst'])])];
  const { report } = options;
  let verified: VerifiedEnvelope;
  let bodyReference: ParsedReference | undefined;
  let includes: XopInclude[];
  let digest: _XopBodyDigest | undefined;
  try {
    const document = parseXml(xml, xmlLimits ? { limits: xmlLimits } : {});
    const located = locateEnvelope(document);
    const { body } = located;
    includes = findXopIncludes(body);
    if (findXopIncludes(document).length !== includes.length) {
      throw new PasserelleError(
        'ERR_MTOM_BAD_REFERENCE',
        'An xop:Include outside the Body is not covered by the signature',
      );
    }
    // Without includes the Body digest is checked now, like any other; with them, as they stream.
    ({ verified, bodyReference } = _verifyX509(
      document,
      located,
      { ...options, require },
      includes.length > 0,
    ));
    digest =
      bodyReference === undefined
        ? undefined
        : new _XopBodyDigest(
            DIGEST_HASH[bodyReference.digestAlgorithm]!,
            _expandedBodySegments(body, includes, bodyReference.prefixes),
            xopBase64,
          );
  } catch (error) {
    report?.finished(error);
    throw error;
  }
  report?.finished(undefined, bodyReference !== undefined);
  const bodyIndex = verified.signedParts.indexOf('body');
  let next = 0;
  return {
    envelope: verified,
    includes,
    digestStream(contentId) {
      if (!digest || includes[next]?.contentId !== contentId)
        throw new TypeError(`verifyMtomEnvelope: cid:${contentId} is not the next xop:Include of the Body`);
      return digest.transform(next++);
    },
    complete() {
      if (!digest || !bodyReference) return;
      const actual = digest.digest();
      const expected = bodyReference.digestValue;
      const error =
        actual.length !== expected.length || !timingSafeEqual(actual, expected)
          ? mismatch(bodyReference.id)
          : undefined;
      report?.message().digest(bodyIndex, error);
      report?.finished(error);
      if (error !== undefined) throw error;
    },
  };
}
