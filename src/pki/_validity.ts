import type { X509Certificate } from 'node:crypto';

export interface Validity {
  /** Where `at` falls: inside the validity period, before it, or after it. */
  readonly state: 'valid' | 'early' | 'expired';
  /** notBefore and notAfter, ms since epoch. */
  readonly from: number;
  readonly to: number;
}

/** The validity period of `cert` and where `at` (ms since epoch) falls in it. */
export function validityAt(cert: X509Certificate, at: number): Validity {
  const from = new Date(cert.validFrom).getTime();
  const to = new Date(cert.validTo).getTime();
  return { state: at < from ? 'early' : at > to ? 'expired' : 'valid', from, to };
}
