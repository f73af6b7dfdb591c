import { isPasserelleError } from '../errors.ts';
import type { Finding } from './check-certificate.ts';
import { normalizeCbe } from './ids/cbe.ts';
import { CBE_OU_PREFIX, PROFILE_ENVS, PROFILES, type ProfileName } from './profiles.ts';

type Attr = readonly [string, string];

/** Every CBE number the subject carries, and where. */
function cbesIn(attrs: readonly Attr[]): Array<{ where: string; value: string }> {
  const out: Array<{ where: string; value: string }> = [];
  for (const [type, value] of attrs) {
    if (value.startsWith(CBE_OU_PREFIX))
      out.push({ where: `${type}=${value}`, value: value.slice(CBE_OU_PREFIX.length) });
    const m = /^CBE=\s*([0-9.\s]+?)(?:,|$)/.exec(value);
    if (m?.[1]) out.push({ where: `${type}=${value}`, value: m[1].trim() });
  }
  return out;
}

/** CBE check digits wherever a CBE appears (OU URN, "CBE=" in OU or CN). */
export function cbeFindings(attrs: readonly Attr[]): Finding[] {
  return cbesIn(attrs).flatMap(({ where, value }): Finding[] => {
    try {
      normalizeCbe(value);
      return [];
    } catch (e) {
      const reason = isPasserelleError(e, 'ERR_IDS_CBE_INVALID') ? e.message : 'invalid';
      return [
        {
          id: 'subject.cbe-invalid',
          severity: 'error',
          message: `${reason} (in ${where}). Request a new certificate with the institution's real CBE number.`,
        },
      ];
    }
  });
}

/** Subject versus the profile's convention (see profiles.ts). */
export function subjectFindings(profile: ProfileName, attrs: readonly Attr[]): Finding[] {
  const def = PROFILES[profile];
  const values = (type: string) => attrs.filter(([t]) => t === type).map(([, v]) => v);
  const ous = values('OU');
  const cn = values('CN')[0];
  const o = values('O')[0];
  const findings: Finding[] = [];
  const err = (id: string, message: string) => findings.push({ id, severity: 'error', message });
  const warn = (id: string, message: string) => findings.push({ id, severity: 'warning', message });
  const example = def
    .subject({ cbe: '0123456749', institution: '<institution>', app: '<application URN>', env: undefined })
    .map(([t, v]) => `${t}=${v}`)
    .join(', ');

  if (values('C')[0] !== 'BE')
    err('subject.country', `The subject must have C=BE for the ${profile} profile (expected: ${example}).`);
  if (!cn)
    err(
      'subject.cn-missing',
      `The subject has no CN; the ${profile} profile puts the application there (expected: ${example}).`,
    );
  for (const ou of ous) {
    if (/^[A-Z]{3}$/.test(ou) && !(PROFILE_ENVS as readonly string[]).includes(ou)) {
      warn(
        'subject.env',
        `OU=${ou} looks like an environment marker but is not one of ${PROFILE_ENVS.join(', ')}.`,
      );
    }
  }
  if (profile === 'ehealth') {
    const inOu = ous
      .find((v) => v.startsWith('CBE='))
      ?.slice(4)
      .trim();
    const inCn = cn ? /^CBE=\s*([0-9.]+)/.exec(cn)?.[1] : undefined;
    if (!inOu && !inCn)
      err(
        'subject.cbe-missing',
        `No CBE in the subject: the eHealth convention is OU=CBE=<number> and CN="CBE=<number>, <application>" (expected: ${example}).`,
      );
    if (inOu && inCn && inOu.replace(/\D/g, '') !== inCn.replace(/\D/g, '')) {
      err(
        'subject.cbe-mismatch',
        `The CBE in the OU (${inOu}) differs from the one in the CN (${inCn}); both must name the same institution.`,
      );
    }
    if (!ous.includes('eHealth-platform Belgium'))
      warn('subject.ou', 'OU=eHealth-platform Belgium is missing, which eHealth-issued certificates carry.');
    return findings;
  }
  const cbeOus = ous.filter((v) => v.startsWith(CBE_OU_PREFIX));
  if (cbeOus.length === 0)
    err(
      'subject.cbe-missing',
      `No OU=${CBE_OU_PREFIX}<CBE> in the subject: the platform identifies the institution by it (expected: ${example}).`,
    );
  if (cbeOus.length > 1)
    err('subject.cbe-multiple', 'The subject carries more than one CBE OU; keep exactly one.');
  if (profile === 'ebox') {
    if (o !== 'Federal Government') {
      warn(
        'subject.organization',
        `O=${o ?? '(none)'}: PROTOCOLS.md §2 expects O=Federal Government with the institution as an OU; check the format your eBox onboarding document asks for.`,
      );
    }
    const institution = ous.filter(
      (v) => !v.startsWith(CBE_OU_PREFIX) && !(PROFILE_ENVS as readonly string[]).includes(v),
    );
    if (institution.length === 0) warn('subject.institution-missing', 'No OU with the institution name.');
  } else if (!o) {
    warn(
      'subject.organization',
      `No O (organisation): the ${profile} profile puts the institution name there (expected: ${example}).`,
    );
  }
  if (cn && (profile === 'ebox' || profile === 'cbss') && !cn.startsWith('urn:')) {
    warn(
      'subject.cn-not-urn',
      `CN=${cn} is not a URN; the ${profile} profile expects the application URN (e.g. urn:be:fgov:...).`,
    );
  }
  return findings;
}
