import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Clock } from '../clock.ts';
import { PasserelleError } from '../errors.ts';
import { commitStagingFolder, createStagingFolder, folderState, listFiles } from './_folder.ts';
import type { OnboardAnswers } from './answers.ts';
import { configSkeletonYaml } from './config-skeleton.ts';
import { type FirewallFlow, firewallFlows } from './flows.ts';
import { type KitEntry, writeCertificateKit } from './kit.ts';
import { kitReadme } from './readme.ts';
import { type OnboardingForms, writeOnboardingForms } from './write-forms.ts';

export interface OnboardInitOptions {
  /** The onboarding folder to write (relative paths resolve from `cwd`). */
  readonly outDir: string;
  readonly clock: Clock;
  /** Replace an existing non-empty folder (its keys are lost). */
  readonly force?: boolean;
  readonly cwd?: string;
}

export interface OnboardInitResult {
  /** The folder written, absolute. */
  readonly outDir: string;
  /** Every file of the folder, relative to it, sorted (keys included by name, never by content). */
  readonly files: readonly string[];
  readonly flows: readonly FirewallFlow[];
  readonly kit: readonly KitEntry[];
  readonly forms: OnboardingForms;
  /** The configuration skeleton, relative to the folder. */
  readonly config: string;
  readonly readme: string;
}

/** File names of the folder (relative to it). */
export const ONBOARD_FILES = {
  config: 'passerelle.config.yaml',
  readme: 'README.md',
  /** The folder's facts as JSON (flows with their row numbers, kit entries; no secrets), for `doctor`. */
  summary: 'onboarding.json',
} as const;

/**
 * Writes the onboarding folder: the firewall flows and forms, the certificate kit (keys 0600 and
 * CSRs per environment and purpose), `passerelle.config.yaml`, `onboarding.json` and a README in
 * the institution's language. Everything is written in a private sibling folder first, which
 * then takes the folder's name, so a failure leaves no half kit. An existing non-empty folder is
 * refused (ERR_ONBOARD_OUT_EXISTS) unless `force`.
 */
export async function onboardInit(
  answers: OnboardAnswers,
  options: OnboardInitOptions,
): Promise<OnboardInitResult> {
  const { clock, force = false, cwd = process.cwd() } = options;
  const outDir = resolve(cwd, options.outDir);
  const state = await folderState(outDir);
  if (state === 'not-a-folder' || (state === 'full' && !force)) {
    throw new PasserelleError(
      'ERR_ONBOARD_OUT_EXISTS',
      state === 'full' ? `${outDir} exists and is not empty` : `${outDir} exists and is not a folder`,
      { details: { path: outDir, state } },
    );
  }
  const date = new Date(clock.now()).toISOString().slice(0, 10);
  const staging = await createStagingFolder(outDir);
  try {
    const flows = firewallFlows(answers);
    const kit = await writeCertificateKit(answers, staging);
    const forms = await writeOnboardingForms({ answers, flows, dir: staging, date });
    await writeFile(join(staging, ONBOARD_FILES.config), configSkeletonYaml(answers, kit), { mode: 0o644 });
    const summary = {
      generatedAt: new Date(clock.now()).toISOString(),
      institution: answers.institution,
      environments: answers.environments,
      services: answers.services,
      flows,
      kit,
      forms,
    };
    await writeFile(join(staging, ONBOARD_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`, {
      mode: 0o644,
    });
    const files = [...(await listFiles(staging)), ONBOARD_FILES.readme].sort();
    await writeFile(
      join(staging, ONBOARD_FILES.readme),
      kitReadme({ answers, flows, kit, forms, files, date }),
      {
        mode: 0o644,
      },
    );
    await commitStagingFolder(staging, outDir);
    return { outDir, files, flows, kit, forms, config: ONBOARD_FILES.config, readme: ONBOARD_FILES.readme };
  } finally {
    // After a successful commit the staging folder no longer exists; after a failure it goes.
    await rm(staging, { recursive: true, force: true }).catch(() => {});
  }
}
