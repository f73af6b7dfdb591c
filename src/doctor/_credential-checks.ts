import type { Clock } from '../clock.ts';
import { credentialRef, credentialSetting, type ResolvedEnvironment } from '../config/environment.ts';
import type { EndpointName } from '../config/registry.ts';
import { checkCertificate, type Finding } from '../pki/check-certificate.ts';
import type { Credential } from '../pki/credential.ts';
import { checkCredentialValidity } from '../pki/credential-validity.ts';
import { subjectDn } from '../pki/dn.ts';
import { loadCredential } from '../pki/load-credential.ts';
import type { ProfileName } from '../pki/profiles.ts';
import { _Finding, type _Outcome } from './_check.ts';
import { _targets } from './_targets.ts';

const TLS_PROFILES: readonly ProfileName[] = ['ebox', 'cbss', 'ehealth'];

/** Config check: what the next checks need is there. */
export function _configOutcome(env: ResolvedEnvironment, names: readonly EndpointName[]): _Outcome {
  const at = `environments.${env.name}`;
  if (env.credentials.tls === undefined) {
    throw new _Finding(
      'ERR_DOCTOR_CONFIG_INCOMPLETE',
      `Environment "${env.name}" has no TLS client credential`,
      0,
      `Set ${at}.credentials.tls (a .p12 keystore, or cert + key files) to the certificate of the kit (onboarding step 3).`,
    );
  }
  let targets: ReturnType<typeof _targets>;
  try {
    targets = _targets(env, names);
  } catch {
    throw new _Finding(
      'ERR_CONFIG_INVALID',
      `An endpoint URL of environment "${env.name}" does not parse`,
      0,
      `Fix the URLs under ${at}.endpoints (https://host:port/...).`,
    );
  }
  if (targets.length === 0) {
    throw new _Finding(
      'ERR_DOCTOR_CONFIG_INCOMPLETE',
      `Environment "${env.name}" has none of the endpoints ${names.join(', ')}`,
      0,
      `Set ${at}.endpoints (the built-in environments test, acpt and prod have them).`,
    );
  }
  const configured = names.filter((n) => env.endpoints[n] !== undefined);
  const ca = env.trust.ca === undefined ? 'system CAs' : `CA bundle ${env.trust.ca}`;
  return { detail: `${env.name} (${env.channel}): ${configured.join(', ')}; ${ca}` };
}

export interface _LoadedCredentials {
  tls?: Credential;
}

/**
 * Credential check of one role: loads it (file, password, key matching the certificate) and
 * checks it is valid now. The loaded TLS credential is kept in `loaded` for the next checks.
 */
export async function _credentialOutcome(
  env: ResolvedEnvironment,
  role: 'tls' | 'signing' | 'oauth',
  clock: Clock,
  processEnv: NodeJS.ProcessEnv,
  loaded: _LoadedCredentials,
): Promise<_Outcome> {
  if (env.credentials[role] === undefined)
    return { detail: `no ${credentialSetting(env, role)} configured`, skipped: true };
  const credential = await loadCredential(credentialRef(env, role), {
    baseDir: env.baseDir,
    env: processEnv,
    setting: credentialSetting(env, role),
  });
  if (!credential.certificate.checkPrivateKey(credential.privateKey)) {
    throw new _Finding(
      'ERR_PKI_KEY_MISMATCH',
      `The private key of ${credentialSetting(env, role)} does not match its certificate`,
      3,
      `Pair the certificate with the key its CSR was made with, in ${credentialSetting(env, role)}.`,
    );
  }
  checkCredentialValidity(credential, { clock, role });
  if (role === 'tls') loaded.tls = credential;
  return {
    detail: `${subjectDn(credential.certificate)}, valid until ${new Date(credential.certificate.validTo).toISOString()}, key matches`,
  };
}

const errorsOf = (findings: readonly Finding[]) =>
  findings.filter((f) => f.severity === 'error' && !f.id.startsWith('validity.'));

/** Subject check: the TLS certificate fits `profile`, or one of the TLS profiles. */
export function _profileOutcome(
  env: ResolvedEnvironment,
  credential: Credential | undefined,
  profile: ProfileName | undefined,
  now: number,
): _Outcome {
  if (credential === undefined) return { detail: 'no TLS credential loaded', skipped: true };
  const tried = profile === undefined ? TLS_PROFILES : [profile];
  const results = tried.map((p) => ({
    profile: p,
    errors: errorsOf(checkCertificate(credential.certificate, { profile: p, now })),
  }));
  const fit = results.find((r) => r.errors.length === 0);
  if (fit !== undefined) return { detail: `the subject follows the ${fit.profile} profile` };
  const first = results[0];
  throw new _Finding(
    'ERR_DOCTOR_SUBJECT_PROFILE',
    `The TLS certificate "${subjectDn(credential.certificate)}" of ${credentialSetting(env, 'tls')} fits ${
      profile === undefined ? `none of the profiles ${tried.join(', ')}` : `not the ${profile} profile`
    }: ${first?.errors.map((e) => e.message).join(' ') ?? ''}`,
    3,
    `Request a certificate with the right subject: \`passerelle cert csr --profile ${first?.profile ?? 'cbss'} ...\`, then send the CSR to the CA (onboarding step 3).`,
  );
}
