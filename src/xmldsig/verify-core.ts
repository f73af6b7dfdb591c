import type { KeyObject } from 'node:crypto';
import { excC14n } from '../xml/c14n.ts';
import type { Element } from '../xml/node.ts';
import { checkDigest } from './references.ts';
import { checkSignatureValue } from './signature-value.ts';
import type { ParsedSignature } from './signed-info.ts';

/**
 * The cryptographic half of verification, independent of how the signer key was found (X.509
 * BinarySecurityToken now, SAML holder-of-key confirmation key later): the SignatureValue over
 * exclusive-c14n SignedInfo (ERR_WSS_SIGNATURE_INVALID), then every Reference digest over the
 * element it resolved to (ERR_WSS_DIGEST_MISMATCH). `targets[i]` is the element of reference i.
 * The digest of reference `deferred` is left to the caller (MTOM: it covers attachments still
 * to be read).
 */
export function verifySignatureCore(
  parsed: ParsedSignature,
  publicKey: KeyObject,
  targets: readonly Element[],
  deferred = -1,
): void {
  const canonical = excC14n(parsed.signedInfo, { inclusivePrefixes: parsed.c14nPrefixes });
  checkSignatureValue(parsed.signatureAlgorithm, publicKey, canonical, parsed.signatureValue);
  parsed.references.forEach((ref, i) => {
    if (i !== deferred) checkDigest(ref, targets[i]!, parsed.signature);
  });
}
