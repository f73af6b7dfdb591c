import type { X509Certificate } from 'node:crypto';
import { type Clock, systemClock } from '../clock.ts';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { hasTrust, type Trust, trustAnchors } from '../pki/trust.ts';
import { childElements } from '../xml/dom.ts';
import type { Element } from '../xml/node.ts';
import { collectIds, type IdLookup } from '../xmldsig/ids.ts';
import { type AllowedAlgorithms, signaturePolicy } from '../xmldsig/references.ts';
import type { SignatureReport } from '../xmldsig/report.ts';
import { trustSigner } from '../xmldsig/signer-trust.ts';
import { verifySignatureCore } from '../xmldsig/verify-core.ts';
import { parseAssertionSignature, signatureCertificates } from './_assertion-signature.ts';
import { SAML1 } from './constants.ts';
import { readAssertion } from './read-assertion.ts';
import type { AssertionInfo, AssertionKeys } from './types.ts';

export interface VerifyAssertionOptions {
  /**
   * Who may issue assertions: pinned STS certificates and/or CAs (`{ pinned, ca }`, or a list
   * where CA certificates are anchors and the others pinned). The ONLY source of trust.
   */
  readonly stsTrust: Trust;
  /** Untrusted intermediate CAs that may complete the STS certificate's path. */
  readonly intermediates?: readonly X509Certificate[];
  /** Expected Issuer; default `urn:be:fgov:ehealth:sts:1_0`. */
  readonly issuer?: string;
  readonly clock?: Clock;
  /** Tolerated clock difference on the Conditions window, seconds. Default 60. */
  readonly maxSkewSeconds?: number;
  readonly allowedAlgorithms?: AllowedAlgorithms;
  /** The ids of the whole document (collectIds); computed when absent. */
  readonly ids?: IdLookup;
  /**
   * Filled with the checks of the assertion's signature (its Reference, SignatureValue, signer
   * and trust), even when verification throws; it changes nothing else.
   */
  readonly report?: SignatureReport;
}

export interface VerifiedAssertion extends AssertionInfo, AssertionKeys {
  /** The STS certificate that signed the assertion, pinned or chained to `stsTrust`. */
  readonly issuerCertificate: X509Certificate;
}

function untrusted(message: string, cause?: unknown): never {
  throw new PasserelleError('ERR_SAML_UNTRUSTED_ISSUER', message, {
    hint: 'Configure the STS signing certificate (trust.sts) of this environment.',
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Verifies a SAML 1.1 assertion in its document and returns what it says, or throws: shape
 * (readAssertion, ERR_SAML_INVALID); unique ids (ERR_WSS_DUPLICATE_ID); Issuer (ERR_SAML_UNTRUSTED_ISSUER);
 * the enveloped signature — one Reference to this assertion's AssertionID, enveloped-signature +
 * exclusive c14n, allow-listed algorithms (ERR_WSS_*) — by a certificate pinned in or chaining to
 * `stsTrust` only (ERR_SAML_UNTRUSTED_ISSUER), valid now (ERR_WSS_SIGNER_EXPIRED /
 * ERR_WSS_SIGNER_NOT_YET_VALID); the digest, so any change to the assertion bytes'
 * canonical form, re-indentation included, fails (ERR_WSS_DIGEST_MISMATCH); then the Conditions
 * window with `maxSkewSeconds` (ERR_SAML_NOT_YET_VALID / ERR_SAML_EXPIRED).
 */
export function verifyAssertion(assertion: Element, options: VerifyAssertionOptions): VerifiedAssertion {
  const {
    stsTrust,
    intermediates = [],
    issuer = SAML1.ehealthIssuer,
    clock = systemClock,
    maxSkewSeconds = 60,
    allowedAlgorithms = {},
    report,
  } = options;
  if (!hasTrust(stsTrust))
    throw new TypeError('verifyAssertion: `stsTrust` must name at least one certificate');
  if (!Number.isFinite(maxSkewSeconds) || maxSkewSeconds < 0)
    throw new TypeError('verifyAssertion: `maxSkewSeconds` must be a non-negative number');
  const ids = options.ids ?? collectIds(assertion.ownerDocument!);
  const info = readAssertion(assertion);
  if (ids.get(info.assertionId) !== assertion) {
    throw new PasserelleError(
      'ERR_WSS_WRAPPING',
      'The AssertionID does not name this assertion (signature wrapping)',
    );
  }
  if (info.issuer !== issuer) untrusted(`The assertion Issuer is not ${issuer}`);
  const signature = childElements(assertion).at(-1)!;
  const parsed = parseAssertionSignature(
    assertion,
    signature,
    info.assertionId,
    signaturePolicy(allowedAlgorithms, true),
  );
  report?.parsed(parsed);
  report?.resolved([assertion]);
  const now = clock.now();
  const [signer, ...extra] = signatureCertificates(parsed.keyInfo);
  const chain = [...intermediates, ...extra];
  /** Trust first, then validity: a trusted but expired STS certificate gets ERR_WSS_SIGNER_EXPIRED. */
  const trusted = (candidate: X509Certificate): void => {
    try {
      trustSigner(candidate, stsTrust, chain, now);
    } catch (cause) {
      if (isPasserelleError(cause, 'ERR_WSS_UNTRUSTED_SIGNER'))
        untrusted('The assertion is not signed by a trusted STS certificate', cause);
      throw cause;
    }
  };
  let issuerCertificate: X509Certificate | undefined;
  if (signer) {
    report?.signer(signer);
    if (report === undefined) trusted(signer);
    else {
      // Reported: an untrusted signer's signature is still checked, for the report only.
      let untrustedError: unknown;
      try {
        trusted(signer);
      } catch (error) {
        if (!isPasserelleError(error)) throw error;
        untrustedError = error;
      }
      report.trust(untrustedError);
      if (untrustedError !== undefined) {
        try {
          verifySignatureCore(parsed, signer.publicKey, [assertion], -1, report);
        } catch (error) {
          if (!isPasserelleError(error)) throw error;
        }
        throw untrustedError;
      }
    }
    verifySignatureCore(parsed, signer.publicKey, [assertion], -1, report);
    issuerCertificate = signer;
  } else {
    // No KeyInfo: the key is one of the pinned STS certificates (a CA never signs assertions).
    for (const candidate of trustAnchors(stsTrust).pinned) {
      try {
        verifySignatureCore(parsed, candidate.publicKey, [assertion]);
      } catch (cause) {
        if (!isPasserelleError(cause, 'ERR_WSS_SIGNATURE_INVALID')) throw cause;
        continue;
      }
      trusted(candidate);
      issuerCertificate = candidate;
      report?.signer(candidate);
      report?.trust();
      report?.signatureValue();
      report?.digest(0);
      break;
    }
  }
  if (!issuerCertificate)
    return untrusted('The assertion signature verifies with no trusted STS certificate');

  const skew = maxSkewSeconds * 1000;
  const details = {
    notBefore: info.conditions.notBefore.toISOString(),
    notOnOrAfter: info.conditions.notOnOrAfter.toISOString(),
    now: new Date(now).toISOString(),
  };
  if (now + skew < info.conditions.notBefore.getTime()) {
    throw new PasserelleError(
      'ERR_SAML_NOT_YET_VALID',
      'The assertion is not valid yet (Conditions NotBefore)',
      {
        hint: 'Check that both clocks are synchronised (NTP).',
        details,
      },
    );
  }
  if (now - skew >= info.conditions.notOnOrAfter.getTime()) {
    throw new PasserelleError('ERR_SAML_EXPIRED', 'The assertion has expired (Conditions NotOnOrAfter)', {
      hint: 'Request a new token from the STS.',
      details,
    });
  }
  return { ...info, issuerCertificate };
}
