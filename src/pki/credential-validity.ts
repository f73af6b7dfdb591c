import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { validityAt } from './_validity.ts';
import type { Credential } from './credential.ts';
import { subjectDn } from './dn.ts';

export interface CheckCredentialValidityOptions {
  readonly clock: Clock;
  /** What the credential is for, as the configuration names it: 'signing', 'tls', 'oauth', 'hok'. */
  readonly role: string;
}

/**
 * Refuses to use a credential whose certificate is outside its validity period now: the peer
 * would refuse it anyway, after the request has left. Called before anything is signed or sent
 * (WS-Security and OAuth signers, every transport with a client certificate). Throws
 * ERR_PKI_CREDENTIAL_EXPIRED / ERR_PKI_CREDENTIAL_NOT_YET_VALID naming the file and the date,
 * never the content.
 */
export function checkCredentialValidity(
  credential: Credential,
  options: CheckCredentialValidityOptions,
): void {
  const { clock, role } = options;
  const { certificate } = credential;
  const now = clock.now();
  const { state, from, to } = validityAt(certificate, now);
  if (state === 'valid') return;
  const early = state === 'early';
  const when = new Date(early ? from : to).toISOString();
  const where = credential.source ?? `"${subjectDn(certificate)}"`;
  throw new PasserelleError(
    early ? 'ERR_PKI_CREDENTIAL_NOT_YET_VALID' : 'ERR_PKI_CREDENTIAL_EXPIRED',
    early
      ? `The ${role} certificate ${where} is not valid before ${when}: nothing was sent`
      : `The ${role} certificate ${where} expired on ${when}: nothing was sent`,
    {
      hint: early
        ? 'Check the clock of this machine (NTP), or wait until the certificate becomes valid.'
        : `Renew the ${role} certificate and point the configuration at the new file.`,
      details: {
        role,
        ...(credential.source === undefined ? {} : { file: credential.source }),
        subject: subjectDn(certificate),
        validFrom: new Date(from).toISOString(),
        validTo: new Date(to).toISOString(),
        now: new Date(now).toISOString(),
      },
    },
  );
}
