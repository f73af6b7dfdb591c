export {
  AnswersSchema,
  ONBOARD_ENVIRONMENTS,
  ONBOARD_LANGUAGES,
  ONBOARD_SERVICES,
  type OnboardAnswers,
  type OnboardEnvironment,
  type OnboardLanguage,
  type OnboardService,
  type ParseAnswersOptions,
  parseAnswers,
} from './answers.ts';
export { configSkeleton, configSkeletonYaml } from './config-skeleton.ts';
export { type FirewallFlow, firewallFlows, flowRow } from './flows.ts';
export {
  ONBOARD_FILES,
  type OnboardInitOptions,
  type OnboardInitResult,
  onboardInit,
} from './init.ts';
export {
  ENV_MARKER,
  KIT_PURPOSES,
  type KitEntry,
  type KitPurpose,
  kitPath,
  kitPlan,
  writeCertificateKit,
} from './kit.ts';
export { readAnswersFile } from './read-answers.ts';
export { type KitReadmeInput, kitReadme, ONBOARDING_RECIPIENTS } from './readme.ts';
export {
  eboxFormsData,
  FORM_FILES,
  firewallFormData,
  type OnboardingForms,
  type WriteOnboardingFormsInput,
  writeOnboardingForms,
} from './write-forms.ts';
