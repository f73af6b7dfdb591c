import type { X509Certificate } from 'node:crypto';
import { isPasserelleError } from '../errors.ts';
import { describeKey, signatureAlgorithm } from './_cert-info.ts';
import { subjectAttributes } from './_subject-attributes.ts';
import { cbeFindings, subjectFindings } from './_subject-findings.ts';
import { validityAt } from './_validity.ts';
import { verifyChain } from './chain.ts';
import { subjectDn } from './dn.ts';
import { PROFILES, type ProfileName } from './profiles.ts';

export interface Finding {
  /** Stable identifier, e.g. "validity.expiring", "key.size", "chain.untrusted". */
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** What is wrong and what to do about it. */
  readonly message: string;
}

export interface CheckCertificateOptions {
  /** Check the subject (and EKU) against this profile. */
  readonly profile?: ProfileName;
  /** Trust anchors; when given, the certificate must chain to one of them. */
  readonly caBundle?: readonly X509Certificate[];
  /** Untrusted intermediates that may complete the path (e.g. the rest of the certificate file). */
  readonly intermediates?: readonly X509Certificate[];
  /** Time of the check, ms since the epoch (from the injected clock). */
  readonly now: number;
  /** Days before expiry that give a warning; default 30. */
  readonly warnDays?: number;
}

const DAY = 86_400_000;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';

/**
 * Checks a certificate the way the platforms will: subject versus profile, CBE check digits, key
 * type and size, signature algorithm, validity and days to expiry, clientAuth EKU for TLS
 * profiles, chain to the CA bundle. Returns the findings (errors first); never throws for a
 * problem of the certificate itself.
 */
export function checkCertificate(cert: X509Certificate, options: CheckCertificateOptions): Finding[] {
  const { profile, caBundle, intermediates = [], now, warnDays = 30 } = options;
  const findings: Finding[] = [];
  const add = (id: string, severity: Finding['severity'], message: string) =>
    findings.push({ id, severity, message });
  const renew = profile ? ` (passerelle cert csr --profile ${profile} ...)` : ' (passerelle cert csr ...)';

  const attrs = subjectAttributes(cert);
  findings.push(...cbeFindings(attrs));
  if (profile) {
    const subject = subjectFindings(profile, attrs);
    findings.push(...subject);
    if (!subject.some((f) => f.severity === 'error'))
      add('subject.profile', 'info', `The subject follows the ${profile} profile.`);
  }

  const key = describeKey(cert.publicKey);
  if (key.type === 'rsa' || key.type === 'rsa-pss') {
    if ((key.bits ?? 0) < 2048)
      add(
        'key.size',
        'error',
        `${key.label}-bit key: at least 2048 bits are required; generate a new key and CSR${renew}.`,
      );
    else add('key.type', 'info', `Key: ${key.label}.`);
  } else if (key.type === 'ec') {
    if (key.curve !== 'P-256' && key.curve !== 'P-384')
      add(
        'key.curve',
        'error',
        `${key.label} key: use P-256 or P-384, or RSA ≥ 2048; request a new certificate${renew}.`,
      );
    else add('key.type', 'info', `Key: ${key.label}.`);
  } else {
    add(
      'key.type',
      'error',
      `${key.label} key: the platforms accept RSA (≥ 2048 bits) or EC P-256/P-384; request a new certificate${renew}.`,
    );
  }

  const sig = signatureAlgorithm(cert);
  if (sig.weak)
    add(
      'signature.algorithm',
      'error',
      `Signed with ${sig.name}, which is broken and refused; ask the CA to reissue it with SHA-256.`,
    );
  else add('signature.algorithm', 'info', `Signature: ${sig.name}.`);

  const { state, from, to } = validityAt(cert, now);
  const days = Math.floor((to - now) / DAY);
  if (state === 'early')
    add(
      'validity.not-yet-valid',
      'error',
      `Not valid before ${new Date(from).toISOString()}; wait, or check the system clock.`,
    );
  else if (state === 'expired')
    add(
      'validity.expired',
      'error',
      `Expired on ${new Date(to).toISOString()}; request a new certificate${renew}.`,
    );
  else if (days < warnDays)
    add(
      'validity.expiring',
      'warning',
      `Expires in ${days} day(s), on ${new Date(to).toISOString()}; renew it now${renew}, certificate delivery can take weeks.`,
    );
  else add('validity.ok', 'info', `Valid until ${new Date(to).toISOString()} (${days} days left).`);

  if (profile && PROFILES[profile].tlsClient) {
    const eku = cert.keyUsage;
    if (!eku || eku.length === 0) {
      add(
        'eku.client-auth',
        'warning',
        'No extended key usage extension: TLS client use is not restricted, but the platforms expect clientAuth; ask for it when renewing.',
      );
    } else if (!eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EKU)) {
      add(
        'eku.client-auth',
        'error',
        `The extended key usage (${eku.join(', ')}) lacks TLS client authentication (1.3.6.1.5.5.7.3.2); the ${profile} platform will refuse the TLS handshake. Request a certificate with clientAuth.`,
      );
    } else {
      add('eku.client-auth', 'info', 'Extended key usage allows TLS client authentication.');
    }
  }

  if (caBundle) {
    try {
      const path = verifyChain(cert, { anchors: caBundle, intermediates, at: now });
      add('chain.trusted', 'info', `Chains to ${subjectDn(path[path.length - 1] ?? cert)}.`);
    } catch (e) {
      if (
        isPasserelleError(e, 'ERR_PKI_CERT_EXPIRED') ||
        isPasserelleError(e, 'ERR_PKI_CERT_NOT_YET_VALID')
      ) {
        // The leaf's own dates are reported above (validity.*): only its path's are new here.
        if (e.details['position'] !== 'leaf') add('chain.validity', 'error', `${e.message}.`);
      } else if (!isPasserelleError(e, 'ERR_PKI_UNTRUSTED')) throw e;
      else
        add(
          'chain.untrusted',
          'error',
          `${e.message}. Give the right CA bundle (--ca), or include the intermediate certificates in the file.`,
        );
    }
  }
  return sortFindings(findings);
}

function sortFindings(findings: Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
