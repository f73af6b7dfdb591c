import type { OnboardAnswers } from './answers.ts';
import type { FirewallFlow } from './flows.ts';

/** The form files written into the onboarding folder (relative paths). */
export interface OnboardingForms {
  /** The firewall-flow form (PDF + CSV); empty when not generated. */
  readonly firewall: readonly string[];
  /** The eBox request forms (PDF + CSV), when ebox is wanted; empty when not generated. */
  readonly ebox: readonly string[];
}

export interface WriteOnboardingFormsInput {
  readonly answers: OnboardAnswers;
  readonly flows: readonly FirewallFlow[];
  /** The (staging) folder to write into. */
  readonly dir: string;
  /** The day the folder is written, YYYY-MM-DD. */
  readonly date: string;
}

/**
 * INTEGRATION POINT (src/onboard/forms/): the one place that turns the answers and flows into the
 * forms' data and writes `forms/firewall-form.{pdf,csv}` and `forms/ebox-forms.{pdf,csv}`
 * through firewallFormPdf / firewallFormCsv / eboxFormsPdf / eboxFormsCsv. Until that module is
 * wired here, no form is written and the README says the forms are to be filled in by hand.
 */
export async function writeOnboardingForms(_input: WriteOnboardingFormsInput): Promise<OnboardingForms> {
  return { firewall: [], ebox: [] };
}
