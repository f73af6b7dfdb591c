import type { KeyObject } from 'node:crypto';
import { isPasserelleError } from '../errors.ts';
import { excC14n } from '../xml/c14n.ts';
import type { Element } from '../xml/node.ts';
import { checkDigest } from './references.ts';
import type { SignatureReport } from './report.ts';
import { checkSignatureValue } from './signature-value.ts';
import type { ParsedSignature } from './signed-info.ts';

/**
 * The cryptographic half of verification, independent of how the signer key was found (X.509
 * BinarySecurityToken now, SAML holder-of-key confirmation key later): the SignatureValue over
 * exclusive-c14n SignedInfo (ERR_WSS_SIGNATURE_INVALID), then every Reference digest over the
 * element it resolved to (ERR_WSS_DIGEST_MISMATCH). `targets[i]` is the element of reference i.
 * The digest of reference `deferred` is left to the caller (MTOM: it covers attachments still
 * to be read).
 *
 * With a `report`, every check is made and told to it, even after a failure; the error thrown
 * is the one thrown without a report (the SignatureValue's, else the first digest's).
 */
export function verifySignatureCore(
  parsed: ParsedSignature,
  publicKey: KeyObject,
  targets: readonly Element[],
  deferred = -1,
  report?: SignatureReport,
): void {
  const canonical = excC14n(parsed.signedInfo, { inclusivePrefixes: parsed.c14nPrefixes });
  if (report === undefined) {
    checkSignatureValue(parsed.signatureAlgorithm, publicKey, canonical, parsed.signatureValue);
    parsed.references.forEach((ref, i) => {
      if (i !== deferred) checkDigest(ref, targets[i]!, parsed.signature);
    });
    return;
  }
  let first: unknown;
  const attempt = (check: () => void, tell: (error?: unknown) => void): void => {
    try {
      check();
      tell();
    } catch (error) {
      if (!isPasserelleError(error)) throw error;
      tell(error);
      first ??= error;
    }
  };
  attempt(
    () => checkSignatureValue(parsed.signatureAlgorithm, publicKey, canonical, parsed.signatureValue),
    (error) => report.signatureValue(error),
  );
  parsed.references.forEach((ref, i) => {
    if (i === deferred) report.deferred(i);
    else
      attempt(
        () => checkDigest(ref, targets[i]!, parsed.signature),
        (error) => report.digest(i, error),
      );
  });
  if (first !== undefined) throw first;
}
