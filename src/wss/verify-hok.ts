import type { X509Certificate } from 'node:crypto';
import { systemClock } from '../clock.ts';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { hasTrust, type Trust } from '../pki/trust.ts';
import type { AssertionInfo } from '../saml/types.ts';
import { verifyAssertion } from '../saml/verify-assertion.ts';
import type { Document, Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { collectIds } from '../xmldsig/ids.ts';
import { resolveReferences, signaturePolicy } from '../xmldsig/references.ts';
import { parseSignature } from '../xmldsig/signed-info.ts';
import { verifySignatureCore } from '../xmldsig/verify-core.ts';
import { locateEnvelope } from './_envelope.ts';
import { locateHokAssertion } from './_hok-assertion.ts';
import { readHokKeyIdentifier } from './_hok-key-info.ts';
import type { MessagePolicyOptions } from './_options.ts';
import { classifySignedParts } from './_signed-parts.ts';
import { checkFreshness, locateSecurity, requireSignedParts } from './_verify-steps.ts';
import type { VerificationReport } from './report.ts';

export interface VerifyHokEnvelopeOptions extends MessagePolicyOptions {
  /** Who may issue assertions (pinned STS certificates and/or CAs): the ONLY trust used. */
  readonly stsTrust: Trust;
  /** Expected assertion Issuer; default `urn:be:fgov:ehealth:sts:1_0`. */
  readonly issuer?: string;
  /** Tolerated clock difference (Timestamp and Conditions), seconds. Default 60. */
  readonly skew?: number;
}

export interface VerifiedHokEnvelope {
  /** What the verified assertion says (AssertionID, issuer, subject, attributes, conditions). */
  readonly assertion: AssertionInfo;
  /** The signer: the holder-of-key confirmation certificate of the assertion. */
  readonly signer: X509Certificate;
  /** The STS certificate that signed the assertion. */
  readonly issuerCertificate: X509Certificate;
  readonly signedParts: readonly string[];
  readonly timestamp: { readonly created: Date; readonly expires: Date };
  readonly document: Document;
  readonly security: Element;
  /** THE Body of the verified DOM: read the payload from here, never from a re-parse. */
  readonly body: Element;
}

/**
 * Verifies a SAML 1.1 holder-of-key message (PROTOCOLS.md §4) strictly; returns the verified
 * parts or throws, never "false". In order: hardened parsing; SOAP shape; ids (collectIds: every
 * wsu:Id unique, every id a reference or KeyIdentifier points at carried by one element —
 * ERR_WSS_DUPLICATE_ID); exactly one Security header for
 * us with exactly one Signature and one Timestamp; exactly one assertion in the whole document,
 * a child of that header (ERR_WSS_WRAPPING); the assertion (verifyAssertion: shape, Issuer, its
 * enveloped signature by a certificate chaining to `stsTrust` only, digest = unmodified,
 * Conditions window); the message signature: allow-listed algorithms, KeyInfo = KeyIdentifier
 * naming THAT assertion, Body and Timestamp signed in place (wrapping defences of verifyEnvelope),
 * SignatureValue with the confirmation key (else ERR_SAML_KEY_MISMATCH), digests; timestamp
 * freshness; replay.
 *
 * Used by the sandbox `soa` module for checkBrokeredAccessControl:
 * `verifyHokEnvelope(xml, { stsTrust: [pki.sts.certificate], clock, replayCache })` then answer
 * with `result.assertion.subject` / the CBE attribute and read the request from `result.body`.
 */
export function verifyHokEnvelope(xml: string, options: VerifyHokEnvelopeOptions): VerifiedHokEnvelope {
  const { stsTrust, skew = 60, maxTtlSeconds = 300, report } = options;
  if (!hasTrust(stsTrust))
    throw new TypeError('verifyHokEnvelope: `stsTrust` must name at least one certificate');
  if (!Number.isFinite(skew) || skew < 0 || !Number.isFinite(maxTtlSeconds) || maxTtlSeconds <= 0) {
    throw new TypeError('verifyHokEnvelope: `skew` and `maxTtlSeconds` must be non-negative numbers');
  }
  try {
    const verified = _verifyHok(xml, options, report);
    report?.finished();
    return verified;
  } catch (error) {
    report?.finished(error);
    throw error;
  }
}

function _verifyHok(
  xml: string,
  options: VerifyHokEnvelopeOptions,
  report: VerificationReport | undefined,
): VerifiedHokEnvelope {
  const {
    stsTrust,
    intermediates = [],
    issuer,
    clock = systemClock,
    skew = 60,
    maxTtlSeconds = 300,
    replayCache,
    allowedAlgorithms = {},
    actor,
    xmlLimits,
  } = options;
  const policy = signaturePolicy(allowedAlgorithms);
  const document = parseXml(xml, xmlLimits ? { limits: xmlLimits } : {});
  const { header, body } = locateEnvelope(document);
  const ids = collectIds(document);
  const { security, signature, timestamp } = locateSecurity(header, actor);
  report?.timestampFound(timestamp);
  if (!timestamp)
    throw new PasserelleError('ERR_WSS_TIMESTAMP_MISSING', 'The Security header holds no wsu:Timestamp');
  const timestampEl = timestamp;

  const assertionEl = locateHokAssertion(security);
  const verified = verifyAssertion(assertionEl, {
    stsTrust,
    intermediates,
    clock,
    maxSkewSeconds: skew,
    ids,
    allowedAlgorithms,
    ...(issuer === undefined ? {} : { issuer }),
    ...(report === undefined ? {} : { report: report.assertion() }),
  });
  const { confirmationCertificate, issuerCertificate, ...assertion } = verified;

  const parsed = parseSignature(signature, policy);
  const seen = report?.message();
  seen?.parsed(parsed);
  seen?.signer(confirmationCertificate);
  const keyId = readHokKeyIdentifier(parsed.keyInfo);
  if (keyId !== assertion.assertionId || ids.get(keyId) !== assertionEl) {
    throw new PasserelleError(
      'ERR_WSS_TOKEN_INVALID',
      'The KeyIdentifier does not name the assertion of this Security header',
    );
  }
  // The holder-of-key key is trusted through the assertion just verified, which names it.
  seen?.trust();
  const targets = resolveReferences(parsed.references, ids);
  seen?.resolved(targets);
  const signedParts = classifySignedParts(targets, { body, timestamp: timestampEl, bst: undefined });
  requireSignedParts(['body', 'timestamp'], signedParts, timestampEl);
  try {
    verifySignatureCore(parsed, confirmationCertificate.publicKey, targets, -1, seen);
  } catch (cause) {
    if (
      isPasserelleError(cause, 'ERR_WSS_SIGNATURE_INVALID') ||
      isPasserelleError(cause, 'ERR_WSS_ALG_NOT_ALLOWED')
    ) {
      throw new PasserelleError(
        'ERR_SAML_KEY_MISMATCH',
        'The message signature was not made with the holder-of-key key the assertion confirms',
        {
          hint: 'Sign with the key of the certificate given as UseKey when the token was requested.',
          cause,
        },
      );
    }
    throw cause;
  }
  const now = clock.now();
  let window: NonNullable<ReturnType<typeof checkFreshness>>;
  try {
    window = checkFreshness(timestampEl, parsed.signatureValue, {
      now,
      maxSkewSeconds: skew,
      maxTtlSeconds,
      replayCache,
    })!;
  } catch (error) {
    report?.timestampChecked(error);
    throw error;
  }
  report?.timestampChecked();
  return {
    assertion,
    signer: confirmationCertificate,
    issuerCertificate,
    signedParts,
    timestamp: { created: new Date(window.created), expires: new Date(window.expires) },
    document,
    security,
    body,
  };
}
