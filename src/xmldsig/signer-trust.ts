import type { X509Certificate } from 'node:crypto';
import { isPasserelleError, PasserelleError } from '../errors.ts';
import { subjectDn } from '../pki/dn.ts';
import type { Trust } from '../pki/trust.ts';
import { trustedPath } from './trust-cache.ts';

/**
 * The error of a failed trust decision on a signature's signer certificate (a verifyChain
 * failure in `cause`), shared by the WS-Security and SAML verifiers: ERR_WSS_SIGNER_EXPIRED /
 * ERR_WSS_SIGNER_NOT_YET_VALID when the signer is trusted but it (or a certificate of its path)
 * is outside its validity period, else ERR_WSS_UNTRUSTED_SIGNER.
 */
export function signerTrustError(signer: X509Certificate, cause: unknown): PasserelleError {
  const who = { subject: subjectDn(signer), fingerprint256: signer.fingerprint256 };
  if (
    isPasserelleError(cause, 'ERR_PKI_CERT_EXPIRED') ||
    isPasserelleError(cause, 'ERR_PKI_CERT_NOT_YET_VALID')
  ) {
    const expired = cause.code === 'ERR_PKI_CERT_EXPIRED';
    return new PasserelleError(
      expired ? 'ERR_WSS_SIGNER_EXPIRED' : 'ERR_WSS_SIGNER_NOT_YET_VALID',
      `The signer certificate is trusted but ${expired ? 'expired' : 'not valid yet'}: ${cause.message}`,
      {
        cause,
        hint: cause.hint,
        details: { ...cause.details, ...who },
      },
    );
  }
  return new PasserelleError(
    'ERR_WSS_UNTRUSTED_SIGNER',
    'The signer certificate is not pinned and does not chain to a trusted CA',
    {
      cause,
      hint: "Pin this peer's signing certificate, or trust its issuing CA, in the configuration.",
      details: who,
    },
  );
}

/**
 * Throws unless `signer` is trusted and valid at `now`: ERR_WSS_UNTRUSTED_SIGNER when it is not
 * pinned and has no path to a trusted CA; ERR_WSS_SIGNER_EXPIRED / ERR_WSS_SIGNER_NOT_YET_VALID
 * when it is trusted but it (or a certificate of its path) is outside its validity period.
 */
export function trustSigner(
  signer: X509Certificate,
  trust: Trust,
  intermediates: readonly X509Certificate[],
  now: number,
): void {
  try {
    trustedPath(signer, { anchors: trust, intermediates, at: now });
  } catch (cause) {
    throw signerTrustError(signer, cause);
  }
}
