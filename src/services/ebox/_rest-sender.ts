import type { X509Certificate } from 'node:crypto';
import { isPasserelleError, PasserelleError } from '../../errors.ts';
import { checkSender, type EboxSenderIdentity, eboxSenderIdentity } from './sender-identity.ts';
import type { ValidatedPublication } from './validate-publication.ts';

function _commonName(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}

function _identity(cert: X509Certificate): EboxSenderIdentity | undefined {
  try {
    return eboxSenderIdentity(cert);
  } catch (error) {
    if (isPasserelleError(error, 'ERR_EBOX_CERT_NO_CBE')) return undefined;
    throw error;
  }
}

function _missing(field: 'senderInstitution' | 'senderApplication', what: string): never {
  throw new PasserelleError(
    'ERR_EBOX_INVALID_INPUT',
    `eBox publication: ${field} is missing and the OAuth certificate does not carry ${what}`,
    {
      hint: `Give ${field}, or register an OAuth certificate with the eBox sender subject (OU=urn:be:fgov:kbo-bce:organization:cbe-number:<CBE>, CN=<application URN>).`,
      details: { field, origin: 'client' },
    },
  );
}

/**
 * The REST sender (PROTOCOLS.md §7): the OAuth client's registration. senderOrganizationId is
 * the publication's institution, else the CBE of the OAuth certificate; senderApplicationId the
 * publication's application, else the certificate's CN. An institution other than the
 * certificate's is refused before sending (ERR_EBOX_SENDER_MISMATCH); without an eBox subject on
 * the certificate, the institution must be given (ERR_EBOX_INVALID_INPUT).
 */
export function _restSender(publication: ValidatedPublication, cert: X509Certificate): EboxSenderIdentity {
  const identity = _identity(cert);
  if (identity !== undefined) {
    checkSender(identity, { institution: publication.senderInstitution });
    return {
      institution: publication.senderInstitution ?? identity.institution,
      application: publication.senderApplication ?? identity.application,
    };
  }
  const institution =
    publication.senderInstitution ?? _missing('senderInstitution', 'an institution CBE (OU)');
  const application =
    publication.senderApplication ?? _commonName(cert) ?? _missing('senderApplication', 'a CN');
  return { institution, application };
}
