import * as x509 from '@peculiar/x509';
import { PasserelleError } from '../errors.ts';
import { normalizeCbe } from './ids/cbe.ts';

export const PROFILE_NAMES = ['ebox', 'cbss', 'ehealth', 'oauth'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Environment marker carried as an extra OU (eBox-enterprise documentation [confirmed]). */
export const PROFILE_ENVS = ['PRD', 'ACC', 'INT', 'SIM'] as const;
export type ProfileEnv = (typeof PROFILE_ENVS)[number];

/** One relative distinguished name, single-valued, in DER order (country first). */
export type Rdn = readonly [type: 'C' | 'O' | 'OU' | 'CN', value: string];

export interface ProfileSubjectParams {
  /** Institution CBE/KBO number, any usual notation; validated and normalised to 10 digits. */
  readonly cbe: string;
  /** Institution (legal) name. */
  readonly institution: string;
  /** Application identifier, normally a URN such as urn:be:fgov:ehealth:... or urn:be:fgov:kbo-bce:... */
  readonly app: string;
  readonly env?: ProfileEnv;
}

export interface CertificateProfile {
  readonly name: ProfileName;
  readonly description: string;
  /** Whether certificates of this profile also authenticate TLS clients (EKU clientAuth required). */
  readonly tlsClient: boolean;
  /** Where the subject convention comes from. */
  readonly source: string;
  subject(p: { cbe: string; institution: string; app: string; env: ProfileEnv | undefined }): Rdn[];
}

export const CBE_OU_PREFIX = 'urn:be:fgov:kbo-bce:organization:cbe-number:';
const envOu = (env: ProfileEnv | undefined): Rdn[] => (env ? [['OU', env]] : []);

/**
 * The subject conventions. Only the eBox one is documented (PROTOCOLS.md §2 [seed], the OU=<env>
 * [confirmed]); the others are [inferred] and kept deliberately close to it so that the pair
 * (CBE, application) is always machine-readable from the subject.
 */
export const PROFILES: Readonly<Record<ProfileName, CertificateProfile>> = {
  ebox: {
    name: 'ebox',
    description: 'eBox sender (application) certificate',
    tlsClient: true,
    source: 'PROTOCOLS.md §2 [seed]; OU=<env> [confirmed] by the eBox-enterprise documentation',
    subject: ({ cbe, institution, app, env }) => [
      ['C', 'BE'],
      ['O', 'Federal Government'],
      ['OU', institution],
      ['OU', `${CBE_OU_PREFIX}${cbe}`],
      ...envOu(env),
      ['CN', app],
    ],
  },
  cbss: {
    // [inferred] KSZ-BCSS application certificates: the institution as O and the CBE in the same
    // URN form as eBox, the application URN as CN; used for mutual TLS and WS-Security signing.
    name: 'cbss',
    description: 'KSZ-BCSS application certificate (mutual TLS and WS-Security signatures)',
    tlsClient: true,
    source: '[inferred] from the eBox convention (PROTOCOLS.md §2)',
    subject: ({ cbe, institution, app, env }) => [
      ['C', 'BE'],
      ['O', institution],
      ['OU', `${CBE_OU_PREFIX}${cbe}`],
      ...envOu(env),
      ['CN', app],
    ],
  },
  ehealth: {
    // [inferred] eHealth platform convention as seen on eHealth-issued certificates:
    // OU=eHealth-platform Belgium, OU=<institution>, OU=CBE=<cbe>, CN="CBE=<cbe>, <application>".
    name: 'ehealth',
    description: 'eHealth platform certificate (mutual TLS, WS-Security and STS holder-of-key)',
    tlsClient: true,
    source: '[inferred] eHealth convention CN="CBE=<number>, <application>"',
    subject: ({ cbe, institution, app, env }) => [
      ['C', 'BE'],
      ['O', 'Federal Government'],
      ['OU', 'eHealth-platform Belgium'],
      ['OU', institution],
      ['OU', `CBE=${cbe}`],
      ...envOu(env),
      ['CN', `CBE=${cbe}, ${app}`],
    ],
  },
  oauth: {
    // [inferred] certificate whose key signs OAuth JWT client assertions (REST services): no TLS
    // use, so no clientAuth requirement; the CN carries the application (client) identifier.
    name: 'oauth',
    description: 'REST/OAuth client-assertion signing certificate',
    tlsClient: false,
    source: '[inferred] from the eBox convention (PROTOCOLS.md §2)',
    subject: ({ cbe, institution, app, env }) => [
      ['C', 'BE'],
      ['O', institution],
      ['OU', `${CBE_OU_PREFIX}${cbe}`],
      ...envOu(env),
      ['CN', app],
    ],
  },
};

/**
 * Builds the subject of a profile. Validates the CBE (ERR_IDS_CBE_INVALID), the environment and
 * the free-text values (ERR_PKI_PROFILE_INVALID). Returns the RDNs in DER order.
 */
export function profileSubject(profile: ProfileName, params: ProfileSubjectParams): Rdn[] {
  const def = PROFILES[profile];
  if (!def) {
    throw new PasserelleError('ERR_PKI_PROFILE_INVALID', `Unknown certificate profile "${String(profile)}"`, {
      hint: `Use one of: ${PROFILE_NAMES.join(', ')}.`,
      details: { profile: String(profile) },
    });
  }
  if (params.env !== undefined && !PROFILE_ENVS.includes(params.env)) {
    throw new PasserelleError(
      'ERR_PKI_PROFILE_INVALID',
      `Unknown environment marker "${String(params.env)}"`,
      {
        hint: `Use one of: ${PROFILE_ENVS.join(', ')}.`,
      },
    );
  }
  const cbe = normalizeCbe(params.cbe);
  return def.subject({
    cbe,
    institution: text('institution', params.institution),
    app: text('app', params.app),
    env: params.env,
  });
}

function text(field: string, value: string): string {
  const v = value.trim();
  if (v.length === 0 || v.length > 64 || /["\\\p{Cc}]/u.test(v) || v.startsWith('#')) {
    throw new PasserelleError(
      'ERR_PKI_PROFILE_INVALID',
      `The ${field} "${v.slice(0, 80)}" cannot go in a certificate subject`,
      {
        hint: `Give 1 to 64 characters, without quotes, backslashes, control characters or a leading "#".`,
        details: { field },
      },
    );
  }
  return v;
}

/** The RDNs as an @peculiar/x509 name (DER order preserved). */
export function rdnsToName(rdns: readonly Rdn[]): x509.Name {
  return new x509.Name(rdns.map(([type, value]) => ({ [type]: [value] })));
}

/** The RDNs as an escaped string that @peculiar/x509 (and issueCertificate) parse back exactly. */
export function rdnsToString(rdns: readonly Rdn[]): string {
  return rdnsToName(rdns).toString();
}
