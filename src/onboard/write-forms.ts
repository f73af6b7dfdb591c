import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OnboardAnswers, OnboardLanguage } from './answers.ts';
import type { FirewallFlow } from './flows.ts';
import {
  type EboxFormsData,
  eboxFormsCsv,
  eboxFormsPdf,
  type FirewallFormData,
  firewallFormCsv,
  firewallFormPdf,
} from './forms/index.ts';

/** The form files written into the onboarding folder (relative paths). */
export interface OnboardingForms {
  /** The firewall-flow form (PDF + CSV). */
  readonly firewall: readonly string[];
  /** The eBox request forms (PDF + CSV), when ebox is wanted. */
  readonly ebox: readonly string[];
}

export interface WriteOnboardingFormsInput {
  readonly answers: OnboardAnswers;
  readonly flows: readonly FirewallFlow[];
  /** The (staging) folder to write into. */
  readonly dir: string;
  /** The day the folder is written, YYYY-MM-DD (the eBox request date). */
  readonly date: string;
}

export const FORM_FILES = {
  firewallPdf: 'forms/firewall-form.pdf',
  firewallCsv: 'forms/firewall-form.csv',
  eboxPdf: 'forms/ebox-forms.pdf',
  eboxCsv: 'forms/ebox-forms.csv',
} as const;

/** What the firewall form's description says when the answers give none. */
const DEFAULT_DESCRIPTION: Readonly<Record<OnboardLanguage, (name: string, services: string) => string>> = {
  fr: (name, services) => `Accès de ${name} aux services de la BCSS (${services}).`,
  nl: (name, services) => `Toegang van ${name} tot de diensten van de KSZ (${services}).`,
  en: (name, services) => `Access of ${name} to the KSZ-BCSS services (${services}).`,
};

const TO_BE_ASSIGNED: Readonly<Record<OnboardLanguage, string>> = {
  fr: 'à attribuer',
  nl: 'toe te kennen',
  en: 'to be assigned',
};

/** The firewall form's data: the answers and the flows, row for row in the same order. */
export function firewallFormData(answers: OnboardAnswers, flows: readonly FirewallFlow[]): FirewallFormData {
  const { institution, contacts } = answers;
  return {
    action: 'open',
    requester: { name: institution.name, cbe: institution.cbe },
    description:
      answers.description ??
      DEFAULT_DESCRIPTION[institution.language](institution.name, answers.services.join(', ')),
    desiredDate: answers.desiredDate,
    contacts: { clientManager: contacts.clientManager, technicalLead: contacts.technicalLead },
    // The form asks for it; a partner without an operations file yet says it is to be assigned.
    operationsReference: answers.operationsFile ?? TO_BE_ASSIGNED[institution.language],
    ...(answers.imputationCode ? { imputationCode: answers.imputationCode } : {}),
    rows: flows.map((f) => ({
      source: {
        name: f.source.name,
        internalIp: f.source.ips,
        ...(f.source.natIp ? { natIp: f.source.natIp } : {}),
        port: f.source.port,
      },
      destination: { name: f.destination.name, ip: f.destination.ip, port: f.destination.port },
      protocol: f.protocol,
      description: f.description,
      environment: f.environment,
    })),
  };
}

/** The eBox request forms' data, or undefined when ebox is not wanted. */
export function eboxFormsData(answers: OnboardAnswers, date: string): EboxFormsData | undefined {
  const { ebox, applications, institution, contacts } = answers;
  if (!answers.services.includes('ebox') || ebox === undefined || applications.ebox === undefined)
    return undefined;
  const urn = applications.ebox;
  return {
    requestDate: date,
    environments: answers.environments.filter((e) => e === 'acpt' || e === 'prod'),
    institution: {
      name: institution.name,
      cbe: institution.cbe,
      ...(ebox.institutionRegistered === undefined ? {} : { alreadyRegistered: ebox.institutionRegistered }),
      contacts: { business: contacts.clientManager, technical: contacts.technicalLead },
    },
    applications: [{ urn, ...ebox.application }],
    documentTypes: ebox.documentTypes.map((t) => ({ ...t, application: urn })),
  };
}

/**
 * Writes `forms/firewall-form.{pdf,csv}` and, when ebox is wanted, `forms/ebox-forms.{pdf,csv}`
 * (src/onboard/forms/) in the institution's language. Throws ERR_ONBOARD_FORM_INVALID naming a
 * form field when a value passes the answers' checks but not the form's (e.g. a character
 * outside WinAnsi).
 */
export async function writeOnboardingForms(input: WriteOnboardingFormsInput): Promise<OnboardingForms> {
  const { answers, flows, dir, date } = input;
  const language = answers.institution.language;
  await mkdir(join(dir, 'forms'), { recursive: true, mode: 0o700 });
  const firewall = firewallFormData(answers, flows);
  await writeFile(join(dir, FORM_FILES.firewallPdf), await firewallFormPdf(firewall, { language }), {
    mode: 0o644,
  });
  await writeFile(join(dir, FORM_FILES.firewallCsv), firewallFormCsv(firewall), { mode: 0o644 });
  const ebox = eboxFormsData(answers, date);
  if (ebox === undefined) return { firewall: [FORM_FILES.firewallPdf, FORM_FILES.firewallCsv], ebox: [] };
  await writeFile(join(dir, FORM_FILES.eboxPdf), await eboxFormsPdf(ebox, { language }), { mode: 0o644 });
  await writeFile(join(dir, FORM_FILES.eboxCsv), eboxFormsCsv(ebox), { mode: 0o644 });
  return {
    firewall: [FORM_FILES.firewallPdf, FORM_FILES.firewallCsv],
    ebox: [FORM_FILES.eboxPdf, FORM_FILES.eboxCsv],
  };
}
