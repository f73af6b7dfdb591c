import type { X509Certificate } from 'node:crypto';
import { PasserelleError } from '../../errors.ts';
import { subjectDn } from '../../pki/dn.ts';
import { isValidCbe } from '../../pki/ids/cbe.ts';

/** Who publishes, as the platform reads it from the signing certificate (PROTOCOLS.md §2). */
export interface EboxSenderIdentity {
  /** The institution's CBE (10 digits), from `OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE>`. */
  readonly institution: string;
  /** The application URN: the certificate's CN. */
  readonly application: string;
}

const CBE_OU = /^urn:be:fgov:kbo-bce:organization:cbe-number:(.*)$/;

/**
 * Reads the eBox sender (institution CBE, application URN) from a certificate subject. A
 * certificate without a valid CBE OU, with two different ones, or without a CN is
 * ERR_EBOX_CERT_NO_CBE: the platform could not tell which institution publishes.
 */
export function eboxSenderIdentity(cert: X509Certificate): EboxSenderIdentity {
  const cbes = new Set<string>();
  let application: string | undefined;
  let bad: string | undefined;
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    const type = line.slice(0, eq);
    const value = line.slice(eq + 1);
    const m = type === 'OU' ? CBE_OU.exec(value) : null;
    if (m) {
      if (isValidCbe(m[1]!)) cbes.add(m[1]!);
      else bad = m[1];
    }
    if (type === 'CN') application = value;
  }
  const subject = subjectDn(cert);
  const fail = (reason: string): never => {
    throw new PasserelleError('ERR_EBOX_CERT_NO_CBE', `The signing certificate ${reason}`, {
      details: { subject },
    });
  };
  if (cbes.size === 0)
    return fail(
      bad === undefined
        ? 'has no OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE>'
        : `carries "${bad}" as CBE number, which is not a valid CBE`,
    );
  if (cbes.size > 1) return fail(`names several institutions (${[...cbes].join(', ')})`);
  if (application === undefined || application === '') return fail('has no CN (the application URN)');
  return { institution: [...cbes][0]!, application };
}

/**
 * Refuses, before sending, a SenderID naming another institution than the certificate's (the
 * platform would answer business error 20): ERR_EBOX_SENDER_MISMATCH.
 */
export function checkSender(
  identity: EboxSenderIdentity,
  sender: { readonly institution: string | undefined },
): void {
  if (sender.institution !== undefined && sender.institution !== identity.institution) {
    throw new PasserelleError(
      'ERR_EBOX_SENDER_MISMATCH',
      `SenderID names institution ${sender.institution}, but the signing certificate is institution ${identity.institution}'s`,
      {
        details: {
          businessCode: '20',
          origin: 'client',
          certificate: identity.institution,
          sender: sender.institution,
        },
      },
    );
  }
}
