import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCsr } from '../pki/csr.ts';
import { type ProfileEnv, type ProfileName, profileSubject } from '../pki/profiles.ts';
import { writeEncryptedKeyFile } from '../pki/write-key-file.ts';
import { writeSecretFile } from '../secret-file.ts';
import type { OnboardAnswers, OnboardEnvironment } from './answers.ts';

/**
 * The certificate kit (PROTOCOLS.md §2): per environment one key and CSR per purpose, with the
 * subject of the purpose's profile (profiles.ts) and the environment OU (INT, ACC, PRD):
 * - `tls`: the mutual-TLS client certificate (cbss profile; it also signs KSZ-BCSS SOAP messages);
 * - `ebox`: the eBox sender certificate (ebox profile, CN = the eBox application URN), when ebox is
 *   wanted, in acpt and prod (the only environments of the eBox publication service);
 * - `oauth`: the certificate whose key signs the OAuth JWT client assertions, when rest or oauth is wanted.
 * Each key is written encrypted (PKCS#8, AES-256) with mode 0600, its generated password beside it
 * (`<purpose>.key.pass`, 0600). Paths in the entries are relative to the kit folder.
 */

export const KIT_PURPOSES = ['tls', 'ebox', 'oauth'] as const;
export type KitPurpose = (typeof KIT_PURPOSES)[number];

export const ENV_MARKER: Readonly<Record<OnboardEnvironment, ProfileEnv>> = {
  test: 'INT',
  acpt: 'ACC',
  prod: 'PRD',
};

const PROFILE_OF: Readonly<Record<KitPurpose, ProfileName>> = { tls: 'cbss', ebox: 'ebox', oauth: 'oauth' };

export interface KitEntry {
  readonly environment: OnboardEnvironment;
  readonly purpose: KitPurpose;
  readonly profile: ProfileName;
  /** The CSR's subject in certificate order, as `openssl req -subject` prints it: `C=BE, O=…, CN=…`. */
  readonly subject: string;
  /** Relative paths inside the kit folder. */
  readonly csr: string;
  readonly key: string;
  readonly passwordFile: string;
  /** Where the certificate the CA returns goes (the configuration skeleton points at it). */
  readonly certificate: string;
}

/** The (environment, purpose) pairs the answers need, in kit order. */
export function kitPlan(
  answers: OnboardAnswers,
): { environment: OnboardEnvironment; purpose: KitPurpose; app: string }[] {
  const wants = (s: OnboardAnswers['services'][number]) => answers.services.includes(s);
  const { cbss, ebox, oauth } = answers.applications;
  const plan: { environment: OnboardEnvironment; purpose: KitPurpose; app: string }[] = [];
  for (const environment of answers.environments) {
    if (answers.services.some((s) => s !== 'sftp')) plan.push({ environment, purpose: 'tls', app: cbss });
    // The eBox publication service exists in acceptance and production only (seed 003 §6).
    if (wants('ebox') && ebox !== undefined && environment !== 'test')
      plan.push({ environment, purpose: 'ebox', app: ebox });
    if (wants('rest') || wants('oauth')) plan.push({ environment, purpose: 'oauth', app: oauth ?? cbss });
  }
  return plan;
}

/** Relative path of a kit file: `<env>/<purpose>.<ext>`. */
export const kitPath = (environment: OnboardEnvironment, purpose: KitPurpose, ext: string): string =>
  `${environment}/${purpose}.${ext}`;

/**
 * Generates every key and CSR of the kit into `dir` (an empty folder the caller owns). Throws
 * ERR_IDS_CBE_INVALID / ERR_PKI_PROFILE_INVALID for values a subject cannot hold (parseAnswers
 * has refused those already) and ERR_FILE_UNWRITABLE when a file cannot be written.
 */
export async function writeCertificateKit(answers: OnboardAnswers, dir: string): Promise<KitEntry[]> {
  const entries: KitEntry[] = [];
  for (const { environment, purpose, app } of kitPlan(answers)) {
    const profile = PROFILE_OF[purpose];
    const params = { cbe: answers.institution.cbe, institution: answers.institution.name, app };
    const created = await createCsr({ profile, ...params, env: ENV_MARKER[environment] });
    const rdns = profileSubject(profile, { ...params, env: ENV_MARKER[environment] });
    const entry: KitEntry = {
      environment,
      purpose,
      profile,
      subject: rdns.map(([type, value]) => `${type}=${value}`).join(', '),
      csr: kitPath(environment, purpose, 'csr'),
      key: kitPath(environment, purpose, 'key'),
      passwordFile: kitPath(environment, purpose, 'key.pass'),
      certificate: kitPath(environment, purpose, 'crt'),
    };
    const password = randomBytes(24).toString('base64url');
    await writeSecretFile(join(dir, entry.passwordFile), `${password}\n`);
    await writeEncryptedKeyFile(join(dir, entry.key), created.privateKey, password);
    await writeFile(join(dir, entry.csr), created.csrPem, { mode: 0o644 });
    entries.push(entry);
  }
  return entries;
}
