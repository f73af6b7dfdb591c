import type { X509Certificate } from 'node:crypto';
import { systemClock } from '../clock.ts';
import { isPasserelleError } from '../errors.ts';
import { hasTrust, type Trust } from '../pki/trust.ts';
import type { Document, Element } from '../xml/node.ts';
import { parseXml } from '../xml/parse.ts';
import { collectIds } from '../xmldsig/ids.ts';
import { type ParsedReference, resolveReferences, signaturePolicy } from '../xmldsig/references.ts';
import { parseSignature } from '../xmldsig/signed-info.ts';
import { trustSigner } from '../xmldsig/signer-trust.ts';
import { verifySignatureCore } from '../xmldsig/verify-core.ts';
import { type EnvelopeParts, locateEnvelope } from './_envelope.ts';
import type { MessagePolicyOptions } from './_options.ts';
import { classifySignedParts } from './_signed-parts.ts';
import { resolveX509Token } from './_token.ts';
import { checkFreshness, locateSecurity, requireSignedParts } from './_verify-steps.ts';

export type SignedPart = 'body' | 'timestamp' | 'bst';

export interface VerifyEnvelopeOptions extends MessagePolicyOptions {
  /**
   * Who may sign: `{ pinned, ca }`, or a list (CA certificates are anchors, others pinned). The
   * message never adds trust.
   */
  readonly trust: Trust;
  /** Tolerated clock difference, seconds. Default 60. */
  readonly maxSkewSeconds?: number;
  /** Parts that must be signed. Default: body, timestamp and bst (the platform profile). */
  readonly require?: readonly SignedPart[];
}

export interface VerifiedEnvelope {
  /** The signer certificate, from the BinarySecurityToken, chained to `trust`. */
  readonly signer: X509Certificate;
  /** What the signature covers, in reference order: 'body', 'timestamp', 'bst' or `{ns}local`. */
  readonly signedParts: readonly string[];
  readonly document: Document;
  readonly envelope: Element;
  readonly header: Element;
  readonly security: Element;
  readonly body: Element;
  readonly timestamp: { readonly created: Date; readonly expires: Date } | undefined;
  /** Base64 of the SignatureValue. */
  readonly signatureValue: string;
}

const PARTS: readonly SignedPart[] = ['body', 'timestamp', 'bst'];

/** The PasserelleError `check` throws, or undefined; anything else is rethrown. */
export function _failure(check: () => void): unknown {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!isPasserelleError(error)) throw error;
    return error;
  }
}

/** Caller mistakes in verification options are TypeErrors, named after the function `name`. */
export function _checkVerifyOptions(o: VerifyEnvelopeOptions, name: string): void {
  if (!hasTrust(o.trust)) throw new TypeError(`${name}: \`trust\` must name at least one certificate`);
  for (const [key, v] of [
    ['maxSkewSeconds', o.maxSkewSeconds],
    ['maxTtlSeconds', o.maxTtlSeconds],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0))
      throw new TypeError(`${name}: \`${key}\` must be a non-negative number`);
  }
  if (o.require && !o.require.every((p) => PARTS.includes(p)))
    throw new TypeError(`${name}: \`require\` lists body, timestamp, bst`);
}

/**
 * Verifies a WS-Security X.509-token-profile signature strictly and returns what was verified,
 * or throws a PasserelleError (ERR_XML_*, ERR_WSS_*); it never returns a "false". Checks, in
 * order: hardened parsing; SOAP 1.1 shape; ids (collectIds: every wsu:Id unique, every id a
 * reference or token points at carried by one element; a payload's own unreferenced repeated
 * ID attributes are fine: ERR_WSS_DUPLICATE_ID); exactly one
 * Security header for us and one Signature in it; allow-listed algorithms and transforms;
 * same-document "#id" references; KeyInfo → the BinarySecurityToken of that header; each signed
 * element is THE Body / THE Timestamp / THE token in place (wrapping); required parts signed;
 * the signer chains to `trust`; SignatureValue; digests; timestamp freshness; replay.
 */
export function verifyEnvelope(xml: string, options: VerifyEnvelopeOptions): VerifiedEnvelope {
  _checkVerifyOptions(options, 'verifyEnvelope');
  const { report } = options;
  try {
    const document = parseXml(xml, options.xmlLimits ? { limits: options.xmlLimits } : {});
    const { verified } = _verifyX509(document, locateEnvelope(document), options);
    report?.finished();
    return verified;
  } catch (error) {
    report?.finished(error);
    throw error;
  }
}

/**
 * What verifyEnvelope checks after parsing, for an envelope already located in `document`
 * (options checked by the caller). With `deferBody`, the Body's digest is not checked: its
 * Reference is returned for the caller to check (the MTOM verifier, over the XOP-expanded Body).
 */
export function _verifyX509(
  document: Document,
  { envelope, header, body }: EnvelopeParts,
  options: VerifyEnvelopeOptions,
  deferBody = false,
): { verified: VerifiedEnvelope; bodyReference: ParsedReference | undefined } {
  const {
    trust,
    intermediates = [],
    clock = systemClock,
    maxSkewSeconds = 60,
    maxTtlSeconds = 300,
    require = PARTS,
    replayCache,
    allowedAlgorithms = {},
    actor,
    report,
  } = options;
  const policy = signaturePolicy(allowedAlgorithms);
  const ids = collectIds(document);

  const { security, signature, timestamp: timestampEl } = locateSecurity(header, actor);
  report?.timestampFound(timestampEl);

  const parsed = parseSignature(signature, policy);
  const seen = report?.message();
  seen?.parsed(parsed);
  const token = resolveX509Token(parsed.keyInfo, security, ids);
  seen?.signer(token.certificate);
  const targets = resolveReferences(parsed.references, ids);
  seen?.resolved(targets);
  const signedParts = classifySignedParts(targets, { body, timestamp: timestampEl, bst: token.bst });
  requireSignedParts(require, signedParts, timestampEl);

  const now = clock.now();
  const bodyIndex = deferBody ? signedParts.indexOf('body') : -1;
  const key = token.certificate.publicKey;
  if (seen === undefined) trustSigner(token.certificate, trust, intermediates, now);
  else {
    // Reported: an untrusted signer's signature is still checked, for the report only.
    const untrusted = _failure(() => trustSigner(token.certificate, trust, intermediates, now));
    seen.trust(untrusted);
    if (untrusted !== undefined) {
      _failure(() => verifySignatureCore(parsed, key, targets, bodyIndex, seen));
      throw untrusted;
    }
  }
  verifySignatureCore(parsed, key, targets, bodyIndex, seen);

  let window: ReturnType<typeof checkFreshness>;
  try {
    window = checkFreshness(timestampEl, parsed.signatureValue, {
      now,
      maxSkewSeconds,
      maxTtlSeconds,
      replayCache,
    });
  } catch (error) {
    report?.timestampChecked(error);
    throw error;
  }
  report?.timestampChecked();
  return {
    verified: {
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
    bodyReference: bodyIndex >= 0 ? parsed.references[bodyIndex] : undefined,
  };
}
