export { runDoctor } from './run-doctor.ts';
export {
  type DoctorCheck,
  type DoctorCheckStatus,
  type DoctorFirewallRow,
  type DoctorReport,
  type DoctorTimeouts,
  ONBOARDING_STEPS,
  type OnboardingStep,
  type RunDoctorOptions,
} from './types.ts';
